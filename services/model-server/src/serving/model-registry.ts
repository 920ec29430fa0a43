import fs from 'node:fs';
import path from 'node:path';
import { FailedPreconditionError, NotFoundError, UnavailableError } from '@tally/grpc-kit';
import type { Logger } from '@tally/grpc-kit';
import type { model } from '@tally/contracts';
import type { ModelServerMetrics } from '../metrics/model-server-metrics';
import { readModelConfig } from '../repository/model-config';
import type { ModelConfig } from '../repository/model-config';
import { listModelDirectories, listVersions, modelFilePath } from '../repository/repository-scan';
import { describeVersionPolicy, selectVersions } from '../repository/version-policy';
import type { FeatureSetSource } from './feature-set-source';
import { policyView } from './decision-policy';
import { SchemaCheck } from './schema-check';
import { ServingModel } from './serving-model';
import { challengerStatus } from '../challengers/challenger-status';

export type VersionState = model.ModelVersionState__Output;

const STATES: VersionState[] = [
  'MODEL_VERSION_STATE_LOADING',
  'MODEL_VERSION_STATE_READY',
  'MODEL_VERSION_STATE_UNLOADING',
  'MODEL_VERSION_STATE_UNAVAILABLE',
  'MODEL_VERSION_STATE_FAILED',
];

/** One model's status as ListModels reports it. */
export interface ModelStatusView {
  name: string;
  featureSet: string;
  versionPolicy: string;
  versions: Array<{ version: string; state: VersionState; reason: string; schemaCheck?: model.SchemaCheck }>;
  decisionPolicy?: model.DecisionPolicy;
  challenger?: { version: string; mode: string; canaryFraction: number };
}

interface VersionSlot {
  version: number;
  state: VersionState;
  reason: string;
  serving: ServingModel | undefined;
  /** Whether the feature-set width was checked, or is pending (feature-service unreachable). */
  featureCheck: 'passed' | 'pending' | 'standalone';
}

interface ModelEntry {
  name: string;
  dir: string;
  config: ModelConfig | undefined;
  configText: string | undefined;
  configError: string | undefined;
  versions: Map<number, VersionSlot>;
  /** Versions loaded by an explicit LoadModel(version), kept in addition to the policy's. */
  pinned: Set<number>;
  /** False after UnloadModel of every version: the model no longer counts for server readiness. */
  wanted: boolean;
}

export interface ModelRegistryOptions {
  repository: string;
  logger: Logger;
  metrics: ModelServerMetrics;
  /** The feature-service, when configured; undefined = standalone (only the config is checked). */
  featureSets: FeatureSetSource | undefined;
  intraOpThreads?: number;
  workerScript?: string;
  /** Called after every load or unload and every version state change (health follows readiness). */
  onStateChange?: () => void;
}

/**
 * Every model of the repository and the state of each of its versions. Loads and unloads go through
 * one lock per model; a version is swapped in only after it loaded and warmed, and a replaced or
 * dropped version drains its queue before its workers stop.
 */
export class ModelRegistry {
  readonly #o: ModelRegistryOptions;
  readonly #models = new Map<string, ModelEntry>();
  /** One queue per model name, including names with no entry yet (the first load is serialized too). */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(options: ModelRegistryOptions) {
    this.#o = options;
  }

  get repository(): string {
    return this.#o.repository;
  }

  /** Loads every model of the repository per its policy. A model that fails is logged, not fatal. */
  async loadAll(): Promise<void> {
    if (!fs.existsSync(this.#o.repository)) {
      throw new Error(`MODEL_REPOSITORY ${this.#o.repository} does not exist`);
    }
    for (const name of listModelDirectories(this.#o.repository)) {
      try {
        await this.loadModel(name);
      } catch (err) {
        this.#o.logger.error('model failed to load', { model: name, reason: (err as Error).message });
      }
    }
  }

  /**
   * Re-reads a model's config and applies its version policy (plus `version` when given): new
   * versions are loaded and warmed before they take traffic, versions no longer selected are drained
   * and unloaded. When any version fails to load, nothing is unloaded and the call fails with
   * FAILED_PRECONDITION naming the file and reason.
   */
  loadModel(name: string, version = ''): Promise<ModelStatusView> {
    return this.#locked(name, () => this.#load(name, version));
  }

  /** Drains and unloads one version, or all versions of a model. */
  unloadModel(name: string, version = ''): Promise<ModelStatusView> {
    return this.#locked(name, () => this.#unload(name, version));
  }

  /** The serving version to use: the given one, or the newest READY version. */
  resolve(name: string, version = ''): ServingModel {
    const entry = this.#models.get(name);
    if (entry === undefined) throw new NotFoundError('model', name);
    if (version === '') {
      let newest: VersionSlot | undefined;
      for (const slot of entry.versions.values()) {
        if (
          slot.state === 'MODEL_VERSION_STATE_READY' &&
          slot.serving &&
          (!newest || slot.version > newest.version)
        ) {
          newest = slot;
        }
      }
      if (newest?.serving) return newest.serving;
      throw new UnavailableError(`model ${name}`, `no version is ready (${this.#summary(entry)})`);
    }
    const number = /^[1-9][0-9]{0,8}$/.test(version) ? Number(version) : NaN;
    const slot = entry.versions.get(number);
    if (slot === undefined) throw new NotFoundError('model version', `${name}/${version}`);
    if (slot.state !== 'MODEL_VERSION_STATE_READY' || slot.serving === undefined) {
      throw new UnavailableError(
        `model ${name} version ${version}`,
        `it is ${stateName(slot.state)}${slot.reason ? `: ${slot.reason}` : ''}`,
      );
    }
    return slot.serving;
  }

  /** Whether `resolve(name, version)` would succeed now. */
  isReady(name: string, version = ''): boolean {
    try {
      this.resolve(name, version);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether Score may use a READY version of the model (its schema check PASSED, or standalone). */
  scoreReady(name: string): boolean {
    const entry = this.#models.get(name);
    if (entry === undefined) return false;
    return [...entry.versions.values()].some(
      (s) => s.state === 'MODEL_VERSION_STATE_READY' && s.serving?.schemaCheck?.scorable !== false,
    );
  }

  /** Every wanted model has a READY version. */
  serverReady(): boolean {
    for (const entry of this.#models.values()) {
      if (entry.wanted && !this.isReady(entry.name)) return false;
    }
    return true;
  }

  /** Ready versions of a model, ascending (for ModelMetadata). */
  readyVersions(name: string): number[] {
    const entry = this.#models.get(name);
    if (entry === undefined) throw new NotFoundError('model', name);
    return [...entry.versions.values()]
      .filter((s) => s.state === 'MODEL_VERSION_STATE_READY')
      .map((s) => s.version)
      .sort((a, b) => a - b);
  }

  list(): ModelStatusView[] {
    return [...this.#models.keys()].sort().map((n) => this.status(n));
  }

  status(name: string): ModelStatusView {
    const entry = this.#models.get(name);
    if (entry === undefined) throw new NotFoundError('model', name);
    const versions = [...entry.versions.values()]
      .sort((a, b) => a.version - b.version)
      .map((s) => ({
        version: String(s.version),
        state: s.state,
        reason: s.reason,
        schemaCheck: s.serving?.schemaCheck?.view(),
      }));
    return {
      name,
      featureSet: entry.config?.featureSet ?? '',
      versionPolicy: entry.config
        ? describeVersionPolicy(entry.config.versionPolicy)
        : `invalid config: ${entry.configError ?? 'unknown'}`,
      versions,
      ...challengerStatus(entry.config?.challenger),
      decisionPolicy: policyView(entry.config?.decisionPolicy),
    };
  }

  /** Drains and stops everything (shutdown). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.#models.values()].flatMap((entry) =>
        [...entry.versions.values()].map(async (slot) => {
          const serving = slot.serving;
          slot.serving = undefined;
          if (serving) await serving.unload();
        }),
      ),
    );
    this.#o.featureSets?.close();
  }

  #locked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(name) ?? Promise.resolve();
    const next = previous.then(work, work).finally(() => this.#o.onStateChange?.());
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(name, settled);
    // Forget the queue once it is empty, so unknown names asked for once do not accumulate.
    void settled.then(() => {
      if (this.#locks.get(name) === settled) this.#locks.delete(name);
    });
    return next;
  }

  #entry(name: string): ModelEntry {
    let entry = this.#models.get(name);
    if (entry === undefined) {
      entry = {
        name,
        dir: path.join(this.#o.repository, name),
        config: undefined,
        configText: undefined,
        configError: undefined,
        versions: new Map(),
        pinned: new Set(),
        wanted: true,
      };
      this.#models.set(name, entry);
    }
    return entry;
  }

  async #load(name: string, requestedVersion: string): Promise<ModelStatusView> {
    const dir = path.join(this.#o.repository, name);
    if (
      !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) ||
      !fs.existsSync(dir) ||
      !fs.statSync(dir).isDirectory()
    ) {
      throw new NotFoundError('model', name, `no directory ${dir}`);
    }
    let explicit: number | undefined;
    if (requestedVersion !== '') {
      explicit = Number(requestedVersion);
      if (!/^[1-9][0-9]{0,8}$/.test(requestedVersion) || !fs.existsSync(path.join(dir, requestedVersion))) {
        throw new NotFoundError(
          'model version',
          `${name}/${requestedVersion}`,
          `no directory ${path.join(dir, requestedVersion)}`,
        );
      }
    }
    const entry = this.#entry(name);
    let read: ReturnType<typeof readModelConfig>;
    try {
      read = readModelConfig(dir);
    } catch (err) {
      entry.configError = (err as Error).message;
      this.#o.metrics.loads.inc({ model: name, outcome: 'failure' });
      throw new FailedPreconditionError(`model ${name} not loaded: ${entry.configError}`);
    }
    const configChanged = entry.configText !== undefined && entry.configText !== read.text;
    entry.config = read.config;
    entry.configText = read.text;
    entry.configError = undefined;
    entry.wanted = true;
    if (explicit !== undefined) entry.pinned.add(explicit);

    const onDisk = listVersions(dir);
    for (const [v, slot] of entry.versions) {
      if (!onDisk.includes(v) && slot.serving === undefined) entry.versions.delete(v);
    }
    for (const v of onDisk) {
      if (!entry.versions.has(v)) {
        entry.versions.set(v, {
          version: v,
          state: 'MODEL_VERSION_STATE_UNAVAILABLE',
          reason: 'not selected by the version policy',
          serving: undefined,
          featureCheck: 'standalone',
        });
      }
    }
    const desired = new Set(selectVersions(read.config.versionPolicy, onDisk));
    for (const v of entry.pinned) if (onDisk.includes(v)) desired.add(v);
    if (desired.size === 0) {
      this.#publishStates(entry);
      throw new FailedPreconditionError(
        `model ${name}: no version in ${dir} matches version_policy ${describeVersionPolicy(read.config.versionPolicy)} (on disk: [${onDisk.join(', ')}])`,
      );
    }

    const failures: string[] = [];
    for (const v of [...desired].sort((a, b) => a - b)) {
      const slot = entry.versions.get(v)!;
      const current = slot.state === 'MODEL_VERSION_STATE_READY' ? slot.serving : undefined;
      // A version that Score does not serve (schema not checked, or its feature set changed) is checked again.
      if (current && !configChanged && current.schemaCheck?.scorable !== false) continue;
      if (!current) {
        slot.state = 'MODEL_VERSION_STATE_LOADING';
        slot.reason = '';
        this.#publishStates(entry);
      }
      try {
        const loaded = await this.#loadVersion(read.config, v, dir);
        slot.serving = loaded.serving;
        slot.featureCheck = loaded.featureCheck;
        slot.state = 'MODEL_VERSION_STATE_READY';
        slot.reason = '';
        this.#o.metrics.loads.inc({ model: name, outcome: 'success' });
        this.#o.logger.info('model version ready', {
          model: name,
          version: v,
          width: loaded.serving.width,
          instances: read.config.instances,
          feature_check: loaded.featureCheck,
        });
        if (current) await current.unload();
      } catch (err) {
        const message = (err as Error).message;
        failures.push(`version ${v}: ${message}`);
        this.#o.metrics.loads.inc({ model: name, outcome: 'failure' });
        this.#o.logger.error('model version failed to load', { model: name, version: v, reason: message });
        if (!current) {
          slot.state = 'MODEL_VERSION_STATE_FAILED';
          slot.reason = message;
          slot.serving = undefined;
        }
      }
    }

    if (failures.length === 0) {
      const dropped = [...entry.versions.values()].filter(
        (s) => !desired.has(s.version) && s.serving !== undefined,
      );
      await Promise.all(dropped.map((s) => this.#drainSlot(entry, s, 'not selected by the version policy')));
    }
    this.#publishStates(entry);
    if (failures.length > 0) {
      throw new FailedPreconditionError(
        `model ${name}: ${failures.join('; ')}${entry.versions.size > 0 && this.isReady(name) ? ' (the serving versions are unchanged)' : ''}`,
      );
    }
    return this.status(name);
  }

  async #loadVersion(
    config: ModelConfig,
    version: number,
    dir: string,
  ): Promise<{ serving: ServingModel; featureCheck: VersionSlot['featureCheck'] }> {
    const file = modelFilePath(dir, version);
    if (!fs.existsSync(file)) throw new Error(`${file}: file not found`);
    const schemaCheck = await SchemaCheck.atLoad({
      config,
      version,
      versionDir: path.dirname(file),
      featureSets: this.#o.featureSets,
      logger: this.#o.logger,
      metrics: this.#o.metrics,
      onStateChange: this.#o.onStateChange,
    });
    const featureCheck: VersionSlot['featureCheck'] =
      schemaCheck.state === 'SCHEMA_CHECK_STATE_PASSED'
        ? 'passed'
        : schemaCheck.state === 'SCHEMA_CHECK_STATE_STANDALONE'
          ? 'standalone'
          : 'pending';
    const featureSetWidth = schemaCheck.pinned?.columns.length;
    const featureSetFingerprint = schemaCheck.pinned?.fingerprint;
    const featureSetColumns = schemaCheck.pinned?.columns.map((c) => c.name);
    const serving = await ServingModel.load({
      config,
      version,
      modelFile: file,
      logger: this.#o.logger,
      metrics: this.#o.metrics,
      featureSetWidth,
      featureSetFingerprint,
      featureSetColumns,
      intraOpThreads: this.#o.intraOpThreads,
      workerScript: this.#o.workerScript,
      schemaCheck,
    }).catch((err: unknown) => {
      schemaCheck.close();
      throw err;
    });
    return { serving, featureCheck };
  }

  async #unload(name: string, version: string): Promise<ModelStatusView> {
    const entry = this.#models.get(name);
    if (entry === undefined) throw new NotFoundError('model', name);
    let slots: VersionSlot[];
    if (version === '') {
      slots = [...entry.versions.values()];
      entry.wanted = false;
      entry.pinned.clear();
    } else {
      const slot = /^[1-9][0-9]{0,8}$/.test(version) ? entry.versions.get(Number(version)) : undefined;
      if (slot === undefined) throw new NotFoundError('model version', `${name}/${version}`);
      slots = [slot];
      entry.pinned.delete(slot.version);
    }
    await Promise.all(
      slots.filter((s) => s.serving).map((s) => this.#drainSlot(entry, s, 'unloaded by UnloadModel')),
    );
    if (!this.isReady(name)) entry.wanted = false;
    this.#publishStates(entry);
    return this.status(name);
  }

  async #drainSlot(entry: ModelEntry, slot: VersionSlot, reason: string): Promise<void> {
    const serving = slot.serving;
    slot.state = 'MODEL_VERSION_STATE_UNLOADING';
    slot.reason = '';
    this.#publishStates(entry);
    if (serving) await serving.unload();
    slot.serving = undefined;
    slot.state = 'MODEL_VERSION_STATE_UNAVAILABLE';
    slot.reason = reason;
    this.#o.logger.info('model version unloaded', { model: entry.name, version: slot.version, reason });
  }

  #publishStates(entry: ModelEntry): void {
    for (const slot of entry.versions.values()) {
      for (const state of STATES) {
        this.#o.metrics.versionState.set(
          { model: entry.name, version: String(slot.version), state: stateName(state) },
          slot.state === state ? 1 : 0,
        );
      }
    }
    this.#o.onStateChange?.();
  }

  #summary(entry: ModelEntry): string {
    if (entry.configError) return entry.configError;
    const parts = [...entry.versions.values()].map(
      (s) => `v${s.version} ${stateName(s.state)}${s.reason ? `: ${s.reason}` : ''}`,
    );
    return parts.length > 0 ? parts.join('; ') : 'no versions on disk';
  }
}

/** "MODEL_VERSION_STATE_READY" → "READY". */
export function stateName(state: VersionState): string {
  return state.replace('MODEL_VERSION_STATE_', '');
}
