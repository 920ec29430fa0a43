import { InvalidArgumentError, statusName, toStatus } from '@tally/grpc-kit';
import type { Logger } from '@tally/grpc-kit';
import { startBatchSpan } from '@tally/telemetry';
import { DynamicBatcher } from '../batching/dynamic-batcher';
import type { BatchResult, FormedBatch, QueueOptions } from '../batching/dynamic-batcher';
import { checkExplainer, locateExplainer } from '../explain/explainer-spec';
import type { ExplainerSpec } from '../explain/explainer-spec';
import { ReasonMapCache } from '../explain/reason-map-cache';
import { checkExplainedWarmUp } from '../explain/warm-up-check';
import { WorkerPool } from '../inference/worker-pool';
import type { OutputTensor, TensorSignature } from '../inference/worker-protocol';
import type { ModelServerMetrics } from '../metrics/model-server-metrics';
import type { ModelConfig } from '../repository/model-config';
import { checkSignature, ModelMismatchError } from './model-signature-check';
import type { SchemaCheck } from './schema-check';

/** Options of one inference call through the batcher. */
export type InferOptions = QueueOptions;

/** What one inference call returns. */
export interface InferResult {
  /** This request's rows of every model output, [rows, ...]. */
  outputs: OutputTensor[];
  /** The model version that computed it. */
  version: number;
  /** Microseconds in the batcher queue. */
  queueUs: number;
  /** Microseconds ONNX Runtime spent on the batch this request rode in. */
  computeUs: number;
  /** Rows in that batch. */
  batchRows: number;
}

export interface ServingModelLoadOptions {
  config: ModelConfig;
  version: number;
  modelFile: string;
  logger: Logger;
  metrics: ModelServerMetrics;
  /** The feature set's width from the feature-service, when known. */
  featureSetWidth?: number;
  /** The feature set's fingerprint from the feature-service at load, when known. */
  featureSetFingerprint?: string;
  /** The feature set's columns from the feature-service at load, when known (checks the reason map). */
  featureSetColumns?: readonly string[];
  intraOpThreads?: number;
  workerScript?: string;
  /** Whether Score may use the version (schema.json against the feature set); see schema-check.ts. */
  schemaCheck?: SchemaCheck;
}

/**
 * One loaded, warmed model version: its inference workers and its dynamic batcher. Callers use
 * `infer`; the batcher calls `runBatch`, the one place a batch is computed.
 */
export class ServingModel {
  readonly name: string;
  readonly version: number;
  readonly config: ModelConfig;
  /** Columns per row. */
  readonly width: number;
  readonly input: TensorSignature;
  readonly outputs: TensorSignature[];
  /** Fingerprint of the feature set this version was checked against at load; undefined when not checked. */
  readonly featureSetFingerprint: string | undefined;
  /** How this version's scores are attributed (undefined: the config has no reasons). */
  readonly explainer: ExplainerSpec | undefined;
  /** The config's reason map, compiled per feature-set columns. */
  readonly reasonMaps: ReasonMapCache | undefined;
  /** The check of the version's pinned schema against its feature set; undefined when not checked. */
  readonly schemaCheck: SchemaCheck | undefined;
  readonly #pool: WorkerPool;
  readonly #batcher: DynamicBatcher;
  readonly #explainBatcher: DynamicBatcher | undefined;
  readonly #metrics: ModelServerMetrics;
  readonly #labels: { model: string; version: string };
  #unloading: Promise<void> | undefined;

  private constructor(
    options: ServingModelLoadOptions,
    pool: WorkerPool,
    width: number,
    input: TensorSignature,
    outputs: TensorSignature[],
    explainer: ExplainerSpec | undefined,
  ) {
    this.name = options.config.name;
    this.version = options.version;
    this.config = options.config;
    this.width = width;
    this.input = input;
    this.outputs = outputs;
    this.featureSetFingerprint = options.featureSetFingerprint || undefined;
    this.schemaCheck = options.schemaCheck;
    this.#pool = pool;
    this.#metrics = options.metrics;
    this.#labels = { model: this.name, version: String(this.version) };
    this.#batcher = new DynamicBatcher({
      label: `${this.name}/${this.version}`,
      width,
      batching: options.config.batching,
      concurrency: options.config.instances,
      run: (batch) => this.runBatch(batch),
    });
    this.explainer = explainer;
    if (explainer !== undefined && options.config.reasons !== undefined) {
      this.reasonMaps = new ReasonMapCache(options.config, options.modelFile);
      // Explained requests batch like inference, in their own queue (their batches take longer).
      this.#explainBatcher = new DynamicBatcher({
        label: `${this.name}/${this.version} explain`,
        width,
        batching: options.config.batching,
        concurrency: options.config.instances,
        run: (batch) => this.runBatch(batch, 'explain'),
      });
    }
  }

  /**
   * Starts the workers, checks the model's inputs and outputs against its config (and feature set),
   * and warms every worker with a single-row and a full-size batch. Rejects with a message naming the
   * file and what is wrong; nothing is left running on failure.
   */
  static async load(options: ServingModelLoadOptions): Promise<ServingModel> {
    const { config, version, modelFile } = options;
    const label = `${config.name}/${version}`;
    const explainer = locateExplainer(config, modelFile);
    const pool = await WorkerPool.start({
      explainer,
      modelPath: modelFile,
      inputName: config.input,
      instances: config.instances,
      label,
      logger: options.logger,
      intraOpThreads: options.intraOpThreads,
      workerScript: options.workerScript,
      onWorkerDeath: () => options.metrics.workerDeaths.inc({ model: config.name, version: String(version) }),
    }).catch((err: unknown) => {
      throw new ModelMismatchError(
        modelFile,
        `cannot be loaded by ONNX Runtime: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    try {
      const checked = checkSignature(pool.signature, config, modelFile, options.featureSetWidth);
      if (explainer !== undefined) checkExplainer(explainer, checked.width, options.featureSetColumns);
      const model = new ServingModel(options, pool, checked.width, checked.input, checked.outputs, explainer);
      if (options.featureSetColumns !== undefined) model.reasonMaps?.get(options.featureSetColumns);
      await model.#warmUp(modelFile);
      if (explainer !== undefined) {
        // One explained row straight on a worker (not through the queue: no request metrics).
        const explained = await pool.run(new Float32Array(model.width), 1, model.width, 'explain');
        checkExplainedWarmUp(explainer, model.scores(explained), explained);
      }
      return model;
    } catch (err) {
      await pool.close();
      throw err;
    }
  }

  async #warmUp(file: string): Promise<void> {
    const sizes = [1, Math.max(1, this.config.batching.maxBatchSize)];
    for (const rows of sizes) {
      const runs = Array.from({ length: this.config.instances }, () =>
        this.#pool.run(new Float32Array(rows * this.width), rows, this.width),
      );
      let results;
      try {
        results = await Promise.all(runs);
      } catch (err) {
        throw new ModelMismatchError(
          file,
          `warm-up with ${rows} row(s) failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      for (const r of results) {
        const score = r.outputs.find((o) => o.name === this.config.scoreOutput);
        const perRow = score ? score.dims.slice(1).reduce((a, b) => a * b, 1) : 0;
        if (score === undefined || score.dims[0] !== rows || this.config.scoreIndex >= perRow) {
          throw new ModelMismatchError(
            file,
            `warm-up with ${rows} row(s): score output '${this.config.scoreOutput}' came back with shape [${score?.dims.join(', ') ?? ''}]; expected [${rows}, >${this.config.scoreIndex}]`,
          );
        }
        for (const o of r.outputs) {
          if (o.dims[0] !== rows) {
            throw new ModelMismatchError(
              file,
              `warm-up with ${rows} row(s): output '${o.name}' has shape [${o.dims.join(', ')}], not one row per input row`,
            );
          }
        }
      }
    }
  }

  /** Inference workers alive now (for readiness and tests). */
  get liveWorkers(): number {
    return this.#pool.liveWorkers;
  }

  /** The pool, for tests that need to kill a worker. */
  get workerPool(): WorkerPool {
    return this.#pool;
  }

  /** Requests waiting in the batcher. */
  get queued(): number {
    return this.#batcher.queued + (this.#explainBatcher?.queued ?? 0);
  }

  /**
   * Computes `rowCount` rows (`rows` holds rowCount × width float32 values, row-major) through the
   * dynamic batcher. Fails with INVALID_ARGUMENT (wrong size, too many rows, bad priority),
   * RESOURCE_EXHAUSTED (queue full), DEADLINE_EXCEEDED (queue timeout or deadline), UNAVAILABLE
   * (worker died, version unloading).
   */
  async infer(rows: Float32Array, rowCount: number, options: InferOptions = {}): Promise<InferResult> {
    return this.#submit(this.#batcher, rows, rowCount, options);
  }

  /**
   * Like `infer`, and the result also carries every row's attributions (outputs ATTRIBUTIONS_OUTPUT and
   * EXPLANATION_OUTPUT, see batch-explainer.ts), batched in the version's explain queue. Only for a
   * version with an explainer.
   */
  async explain(rows: Float32Array, rowCount: number, options: InferOptions = {}): Promise<InferResult> {
    if (this.#explainBatcher === undefined)
      throw new Error(`model ${this.name}/${this.version} has no explainer`);
    return this.#submit(this.#explainBatcher, rows, rowCount, options);
  }

  async #submit(
    batcher: DynamicBatcher,
    rows: Float32Array,
    rowCount: number,
    options: InferOptions,
  ): Promise<InferResult> {
    const tensor = `inputs['${this.input.name}']`;
    try {
      if (rows.length !== rowCount * this.width) {
        throw new InvalidArgumentError(
          tensor,
          `expected ${rowCount} × ${this.width} values, got ${rows.length}`,
        );
      }
      const max = this.config.batching.maxBatchSize;
      if (max > 0 && rowCount > max) {
        throw new InvalidArgumentError(
          tensor,
          `${rowCount} rows exceed max_batch_size ${max} of model ${this.name}`,
        );
      }
      const result = await batcher.submit(rows, rowCount, options);
      this.#metrics.requests.inc({ ...this.#labels, outcome: 'success' });
      this.#metrics.queueSeconds.observe(this.#labels, result.queueUs / 1e6);
      return { ...result, version: this.version };
    } catch (err) {
      this.#metrics.requests.inc({ ...this.#labels, outcome: outcomeOf(err) });
      throw err;
    }
  }

  /** Each row's score: column `score_index` of the score output. */
  scores(result: Pick<InferResult, 'outputs'>): Float64Array {
    const out = result.outputs.find((o) => o.name === this.config.scoreOutput);
    if (out === undefined)
      throw new Error(`score output '${this.config.scoreOutput}' missing from the result`);
    const rows = out.dims[0] ?? 0;
    const perRow = out.dims.slice(1).reduce((a, b) => a * b, 1);
    const scores = new Float64Array(rows);
    for (let i = 0; i < rows; i += 1) scores[i] = Number(out.data[i * perRow + this.config.scoreIndex]);
    return scores;
  }

  /**
   * Runs one formed batch on a worker, inside one `inference` span that links to the span of every
   * request it serves (captured at enqueue) and carries the batch size and model version; each
   * request's trace gets a `queue wait` span (a no-op while tracing is off).
   */
  async runBatch(batch: FormedBatch, kind: 'run' | 'explain' = 'run'): Promise<BatchResult> {
    const span = startBatchSpan(
      batch.members.map((m) => m.trace),
      { model: this.name, version: String(this.version), batchSize: batch.rows },
    );
    let result: BatchResult;
    try {
      result = await span.run(() => this.#pool.run(batch.input, batch.rows, batch.width, kind));
      span.span.setAttribute('tally.compute_us', result.computeUs);
      if (kind === 'explain') span.span.setAttribute('tally.explained', true);
      span.end();
    } catch (err) {
      span.end(err);
      throw err;
    }
    this.#metrics.batches.inc(this.#labels);
    this.#metrics.rows.inc(this.#labels, batch.rows);
    this.#metrics.batchSize.observe(this.#labels, batch.rows);
    this.#metrics.computeSeconds.observe(this.#labels, result.computeUs / 1e6);
    return result;
  }

  /** Stops taking requests, lets queued and running ones finish, then stops the workers. */
  unload(): Promise<void> {
    this.schemaCheck?.close();
    this.#unloading ??= Promise.all([this.#batcher.drain(), this.#explainBatcher?.drain()]).then(() =>
      this.#pool.close(),
    );
    return this.#unloading;
  }
}

function outcomeOf(err: unknown): string {
  return statusName(toStatus(err).code).toLowerCase();
}
