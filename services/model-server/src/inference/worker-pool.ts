import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { UnavailableError } from '@tally/grpc-kit';
import type { Logger } from '@tally/grpc-kit';
import type {
  FromWorker,
  ModelSignature,
  OutputTensor,
  RunBatchMessage,
  StopMessage,
  WorkerInit,
} from './worker-protocol';

export interface WorkerPoolOptions {
  /** Absolute path of the model.onnx file. */
  modelPath: string;
  /** The ONNX input that receives the [rows, width] float32 batch. */
  inputName: string;
  /** Number of workers (each with its own session). */
  instances: number;
  /** "model/version", for messages and logs. */
  label: string;
  logger: Logger;
  /** ONNX Runtime intra-op threads per session. Default 1. */
  intraOpThreads?: number;
  /** The compiled worker script; defaults to inference-worker.js beside this file (or in dist). */
  workerScript?: string;
  /** How `explain` batches are explained (the version's explainer), if it has one. */
  explainer?: WorkerInit['explainer'];
  /** Called when a worker dies unexpectedly (for metrics). */
  onWorkerDeath?: () => void;
}

export interface BatchComputation {
  outputs: OutputTensor[];
  /** Time ONNX Runtime spent in `run()`, in microseconds. */
  computeUs: number;
}

/** Why a model file could not be loaded into a session. */
export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

interface PendingRun {
  resolve: (result: BatchComputation) => void;
  reject: (err: Error) => void;
}

interface Slot {
  index: number;
  worker: Worker | undefined;
  live: boolean;
  pending: Map<number, PendingRun>;
}

/** Where the compiled worker script is: beside this file in dist, or in dist when running from src. */
export function defaultWorkerScript(): string {
  const beside = path.join(__dirname, 'inference-worker.js');
  if (fs.existsSync(beside)) return beside;
  return path.resolve(__dirname, '../../dist/inference/inference-worker.js');
}

const RESTART_DELAYS_MS = [0, 100, 500, 2000, 5000];

/** How long a worker may take to finish its batches and end after being asked to stop. */
const STOP_TIMEOUT_MS = 60_000;

/**
 * Stops a worker the safe way: it is asked to stop (after its current batches, or as soon as its model
 * has loaded) and ends its own thread. `worker.terminate()` while ONNX Runtime is inside a native call
 * (loading a model, computing) aborts the whole process, so it is only the last resort for a worker
 * that has not ended STOP_TIMEOUT_MS after being asked.
 */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      worker.postMessage({ type: 'stop' } satisfies StopMessage);
    } catch {
      // Already gone: 'exit' follows.
    }
  });
}

/**
 * The inference workers of one model version. Batches go to the live worker with the fewest batches
 * in flight. A worker that dies fails its in-flight batches with UNAVAILABLE (naming the worker) and
 * is replaced by a new one; while it is being replaced the other workers take the traffic.
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #script: string;
  readonly #slots: Slot[] = [];
  #signature: ModelSignature | undefined;
  #nextId = 1;
  #closed = false;
  #restarts = 0;

  private constructor(options: WorkerPoolOptions) {
    this.#options = options;
    this.#script = options.workerScript ?? defaultWorkerScript();
  }

  /** Starts every worker and resolves once all have loaded the model; rejects with ModelLoadError. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      for (let i = 0; i < options.instances; i += 1) {
        pool.#slots.push({ index: i, worker: undefined, live: false, pending: new Map() });
      }
      await Promise.all(pool.#slots.map((slot) => pool.#spawn(slot)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Inputs and outputs as the loaded model declares them. */
  get signature(): ModelSignature {
    if (this.#signature === undefined) throw new Error('worker pool not started');
    return this.#signature;
  }

  get instances(): number {
    return this.#slots.length;
  }

  /** Workers that have a loaded session now. */
  get liveWorkers(): number {
    return this.#slots.filter((s) => s.live).length;
  }

  /** Replacement workers started since the pool started. */
  get restarts(): number {
    return this.#restarts;
  }

  /** The worker threads, for tests that need to kill one. */
  get threads(): Worker[] {
    return this.#slots.flatMap((s) => (s.worker && s.live ? [s.worker] : []));
  }

  /**
   * Runs one batch (`explain`: and computes every row's attributions). `input` is transferred to the
   * worker: do not use it afterwards.
   */
  run(
    input: Float32Array,
    rows: number,
    width: number,
    kind: RunBatchMessage['type'] = 'run',
  ): Promise<BatchComputation> {
    if (this.#closed) {
      return Promise.reject(
        new UnavailableError(`model ${this.#options.label}`, 'its workers were shut down'),
      );
    }
    let best: Slot | undefined;
    for (const slot of this.#slots) {
      if (!slot.live) continue;
      if (best === undefined || slot.pending.size < best.pending.size) best = slot;
    }
    if (best === undefined || best.worker === undefined) {
      return Promise.reject(
        new UnavailableError(
          `inference workers of model ${this.#options.label}`,
          'no worker is running (replacements are starting)',
        ),
      );
    }
    const slot = best;
    const id = this.#nextId++;
    const message: RunBatchMessage = { type: kind, id, input, rows, width };
    return new Promise<BatchComputation>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      try {
        slot.worker!.postMessage(message, [input.buffer as ArrayBuffer]);
      } catch (err) {
        slot.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Terminates every worker; batches still in flight fail with UNAVAILABLE. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      this.#slots.map(async (slot) => {
        const worker = slot.worker;
        slot.live = false;
        slot.worker = undefined;
        this.#failPending(slot, `model ${this.#options.label} was unloaded`);
        if (worker) await stopWorker(worker);
      }),
    );
  }

  #spawn(slot: Slot): Promise<void> {
    const init: WorkerInit = {
      modelPath: this.#options.modelPath,
      inputName: this.#options.inputName,
      intraOpThreads: this.#options.intraOpThreads ?? 1,
      explainer: this.#options.explainer,
    };
    const worker = new Worker(this.#script, { workerData: init });
    slot.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            started = true;
            slot.live = true;
            this.#signature ??= message.signature;
            resolve();
            return;
          case 'load-failed':
            // The worker ends by itself after reporting; terminating it could abort the process.
            reject(new ModelLoadError(message.message));
            return;
          case 'result': {
            const pending = slot.pending.get(message.id);
            slot.pending.delete(message.id);
            pending?.resolve({ outputs: message.outputs, computeUs: message.computeUs });
            return;
          }
          case 'run-failed': {
            const pending = slot.pending.get(message.id);
            slot.pending.delete(message.id);
            pending?.reject(
              new Error(`ONNX Runtime failed on model ${this.#options.label}: ${message.message}`),
            );
            return;
          }
        }
      });
      worker.on('error', (err) => {
        this.#options.logger.error('inference worker error', {
          model: this.#options.label,
          worker: slot.index,
          err,
        });
        if (!started) reject(new ModelLoadError(err.message));
      });
      worker.on('exit', (code) => {
        if (slot.worker !== worker) return;
        slot.live = false;
        slot.worker = undefined;
        if (!started) {
          reject(new ModelLoadError(`inference worker exited with code ${code} while loading the model`));
          return;
        }
        if (this.#closed) return;
        this.#options.onWorkerDeath?.();
        this.#options.logger.error('inference worker died; starting a replacement', {
          model: this.#options.label,
          worker: slot.index,
          exit_code: code,
          failed_batches: slot.pending.size,
        });
        this.#failPending(
          slot,
          `inference worker ${slot.index} of model ${this.#options.label} exited (code ${code}) while computing this request's batch`,
        );
        this.#replace(slot, 0);
      });
    });
  }

  #replace(slot: Slot, attempt: number): void {
    const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!;
    setTimeout(() => {
      if (this.#closed) return;
      this.#restarts += 1;
      this.#spawn(slot).then(
        () =>
          this.#options.logger.info('inference worker replaced', {
            model: this.#options.label,
            worker: slot.index,
          }),
        (err: unknown) => {
          this.#options.logger.error('replacement inference worker failed to start', {
            model: this.#options.label,
            worker: slot.index,
            attempt,
            err,
          });
          this.#replace(slot, attempt + 1);
        },
      );
    }, delay).unref();
  }

  #failPending(slot: Slot, reason: string): void {
    const pending = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of pending) p.reject(new UnavailableError('inference worker', reason));
  }
}
