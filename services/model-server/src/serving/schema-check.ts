import path from 'node:path';
import { FailedPreconditionError, UnavailableError } from '@tally/grpc-kit';
import type { Logger } from '@tally/grpc-kit';
import type { model } from '@tally/contracts';
import type { ModelServerMetrics } from '../metrics/model-server-metrics';
import type { ModelConfig } from '../repository/model-config';
import { policyProblem } from './decision-policy';
import type { FeatureSetSource } from './feature-set-source';
import { readPinnedSchema, schemaDifference, SCHEMA_FILE_NAME } from './schema-pin';
import type { PinnedSchema } from './schema-pin';

export type SchemaCheckState = model.SchemaCheckState__Output;

/** How often a version that is not PASSED asks the feature-service again. */
export const SCHEMA_RECHECK_INTERVAL_MS = 1000;

export interface SchemaCheckOptions {
  config: ModelConfig;
  version: number;
  /** The version's folder (holding model.onnx and schema.json). */
  versionDir: string;
  /** The feature-service; undefined = standalone. */
  featureSets: FeatureSetSource | undefined;
  logger: Logger;
  /** Publishes the state (tally_model_schema_check); none in unit tests. */
  metrics?: ModelServerMetrics;
  recheckIntervalMs?: number;
}

/** Per metrics registry, the check that last published each model/version's state. */
const PUBLISHERS = new WeakMap<ModelServerMetrics, Map<string, SchemaCheck>>();

const STATES: SchemaCheckState[] = [
  'SCHEMA_CHECK_STATE_PASSED',
  'SCHEMA_CHECK_STATE_PENDING',
  'SCHEMA_CHECK_STATE_DRIFTED',
  'SCHEMA_CHECK_STATE_MISMATCHED',
  'SCHEMA_CHECK_STATE_STANDALONE',
];

/**
 * Whether Score may use one loaded model version: the schema it was trained on (schema.json) against
 * the feature set the feature-service serves. Checked at load (a difference refuses the version); a
 * version that could not be checked (feature-service unreachable), or whose feature set changed
 * while it was serving, is not served by Score and is re-checked every second until the feature set
 * equals its pinned schema again.
 */
export class SchemaCheck {
  readonly pinned: PinnedSchema | undefined;
  readonly #o: SchemaCheckOptions;
  readonly #label: string;
  #state: SchemaCheckState;
  #detail = '';
  #timer: NodeJS.Timeout | undefined;
  #checking = false;
  #closed = false;

  private constructor(
    options: SchemaCheckOptions,
    pinned: PinnedSchema | undefined,
    state: SchemaCheckState,
  ) {
    this.#o = options;
    this.pinned = pinned;
    this.#label = `model ${options.config.name} version ${options.version}`;
    this.#state = state;
  }

  #set(state: SchemaCheckState): void {
    this.#state = state;
    const labels = { model: this.#o.config.name, version: String(this.#o.version) };
    const metrics = this.#o.metrics;
    if (metrics === undefined) return;
    let owners = PUBLISHERS.get(metrics);
    if (owners === undefined) PUBLISHERS.set(metrics, (owners = new Map()));
    owners.set(`${labels.model}/${labels.version}`, this);
    for (const s of STATES) {
      metrics.schemaCheck.set(
        { ...labels, state: s.replace('SCHEMA_CHECK_STATE_', '') },
        s === state ? 1 : 0,
      );
    }
  }

  /**
   * Reads the version's schema.json and compares it with the feature-service's feature set. Throws
   * (the version is refused) when the file is missing or invalid, the feature set is unknown, or any
   * column differs, naming the first column and property; resolves PENDING when the feature-service
   * cannot be asked. Standalone (no feature-service): schema.json is not needed.
   */
  static async atLoad(options: SchemaCheckOptions): Promise<SchemaCheck> {
    const { config, featureSets } = options;
    if (featureSets === undefined) {
      const standalone = new SchemaCheck(options, undefined, 'SCHEMA_CHECK_STATE_STANDALONE');
      standalone.#set('SCHEMA_CHECK_STATE_STANDALONE');
      return standalone;
    }
    const file = path.join(options.versionDir, SCHEMA_FILE_NAME);
    const pinned = readPinnedSchema(file);
    if (pinned.feature_set !== config.featureSet) {
      throw new Error(
        `${file}: feature_set: the version was trained on feature set '${pinned.feature_set}' but config feature_set is '${config.featureSet}'`,
      );
    }
    const problem = policyProblem(config.decisionPolicy, pinned);
    if (problem !== undefined) throw new Error(problem);
    const check = new SchemaCheck(options, pinned, 'SCHEMA_CHECK_STATE_PENDING');
    const described = await featureSets.describe(config.featureSet);
    if (described.kind === 'unknown-feature-set') {
      throw new Error(
        `feature set '${config.featureSet}' (config feature_set) is unknown to the feature-service: ${described.message}`,
      );
    }
    if (described.kind === 'unreachable') {
      check.#detail = `the feature-service could not be asked at load (${described.reason}); re-checking every ${check.#interval / 1000} s`;
      options.logger.warn(
        'feature-service unreachable: the version loads but Score does not serve it until its schema is checked',
        {
          model: config.name,
          version: options.version,
          feature_set: config.featureSet,
          reason: described.reason,
        },
      );
      check.#set('SCHEMA_CHECK_STATE_PENDING');
      check.#startRechecks();
      return check;
    }
    const difference = schemaDifference(pinned, described.schema);
    if (difference !== undefined) {
      throw new Error(
        `${file} (the schema the version was trained on) does not match feature set '${config.featureSet}' at the feature-service: ${difference}`,
      );
    }
    check.#set('SCHEMA_CHECK_STATE_PASSED');
    return check;
  }

  get state(): SchemaCheckState {
    return this.#state;
  }

  /** Whether Score may use the version now. */
  get scorable(): boolean {
    return this.#state === 'SCHEMA_CHECK_STATE_PASSED' || this.#state === 'SCHEMA_CHECK_STATE_STANDALONE';
  }

  get #interval(): number {
    return this.#o.recheckIntervalMs ?? SCHEMA_RECHECK_INTERVAL_MS;
  }

  /** As ListModels reports it. */
  view(): model.SchemaCheck {
    return { state: this.#state, pinnedFingerprint: this.pinned?.fingerprint ?? '', detail: this.#detail };
  }

  /**
   * Throws unless Score may use the version: UNAVAILABLE while the feature-service could not be asked,
   * FAILED_PRECONDITION while the feature set differs from the pinned schema.
   */
  assertScorable(): void {
    switch (this.#state) {
      case 'SCHEMA_CHECK_STATE_PASSED':
        return;
      case 'SCHEMA_CHECK_STATE_PENDING':
        throw new UnavailableError(
          this.#label,
          `Score does not serve it until its feature set is checked: ${this.#detail} (ModelInfer on raw tensors still serves it)`,
        );
      case 'SCHEMA_CHECK_STATE_STANDALONE':
        return;
      default:
        throw new FailedPreconditionError(
          `${this.#label} is not served by Score: ${this.#detail}; it serves again once the feature set equals the schema it was trained on (re-checked every ${this.#interval / 1000} s, or LoadModel)`,
        );
    }
  }

  /**
   * Score saw the feature set's fingerprint `fingerprint`. When it is not the pinned one the version
   * stops serving Score at once (DRIFTED, re-checked every second) and this call throws: the vector
   * in hand is never scored.
   */
  observe(fingerprint: string): void {
    const pinned = this.pinned;
    if (
      pinned !== undefined &&
      fingerprint !== pinned.fingerprint &&
      this.#state === 'SCHEMA_CHECK_STATE_PASSED'
    ) {
      this.#set('SCHEMA_CHECK_STATE_DRIFTED');
      this.#detail = `feature set '${pinned.feature_set}' changed after load (fingerprint ${pinned.fingerprint} pinned, ${fingerprint || 'none'} served)`;
      this.#o.logger.error('feature set changed under a serving model version: Score stops serving it', {
        model: this.#o.config.name,
        version: this.#o.version,
        pinned_fingerprint: pinned.fingerprint,
        served_fingerprint: fingerprint,
      });
      this.#startRechecks();
    }
    this.assertScorable();
  }

  /** Asks the feature-service now and updates the state; resolves to the new state. */
  async recheck(): Promise<SchemaCheckState> {
    const pinned = this.pinned;
    if (pinned === undefined || this.#o.featureSets === undefined || this.#checking || this.#closed)
      return this.#state;
    this.#checking = true;
    try {
      const described = await this.#o.featureSets.describe(pinned.feature_set);
      if (this.#closed) return this.#state;
      if (described.kind === 'unreachable') {
        if (this.#state === 'SCHEMA_CHECK_STATE_PENDING')
          this.#detail = `the feature-service could not be asked (${described.reason}); re-checking every ${this.#interval / 1000} s`;
        return this.#state;
      }
      const difference =
        described.kind === 'unknown-feature-set'
          ? `feature set '${pinned.feature_set}' is unknown to the feature-service: ${described.message}`
          : schemaDifference(pinned, described.schema);
      if (difference === undefined) {
        this.#set('SCHEMA_CHECK_STATE_PASSED');
        this.#detail = '';
        this.#stopRechecks();
        this.#o.logger.info('feature set matches the pinned schema: Score serves the version', {
          model: this.#o.config.name,
          version: this.#o.version,
          fingerprint: pinned.fingerprint,
        });
      } else {
        this.#set('SCHEMA_CHECK_STATE_MISMATCHED');
        this.#detail = `feature set '${pinned.feature_set}' at the feature-service differs from the schema the version was trained on: ${difference}`;
      }
      return this.#state;
    } finally {
      this.#checking = false;
    }
  }

  /** Stops re-checking (the version is unloaded). */
  close(): void {
    this.#closed = true;
    this.#stopRechecks();
    // A reload publishes the new version's check before the old one is closed: only the last publisher clears.
    const labels = { model: this.#o.config.name, version: String(this.#o.version) };
    const metrics = this.#o.metrics;
    const owners = metrics === undefined ? undefined : PUBLISHERS.get(metrics);
    if (owners?.get(`${labels.model}/${labels.version}`) !== this) return;
    owners.delete(`${labels.model}/${labels.version}`);
    for (const s of STATES) {
      metrics!.schemaCheck.remove({ ...labels, state: s.replace('SCHEMA_CHECK_STATE_', '') });
    }
  }

  #startRechecks(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setInterval(() => void this.recheck(), this.#interval);
    this.#timer.unref();
  }

  #stopRechecks(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
