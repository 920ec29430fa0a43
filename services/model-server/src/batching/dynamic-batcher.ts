import {
  DeadlineExceededError,
  InvalidArgumentError,
  ResourceExhaustedError,
  UnavailableError,
} from '@tally/grpc-kit';
import { captureEnqueue } from '@tally/telemetry';
import type { EnqueuedRequestTrace } from '@tally/telemetry';
import type {
  BatchMember,
  BatchResult,
  BatchRunner,
  FormedBatch,
  QueueOptions,
  RequestResult,
} from './batch-types';
import type { BatchingOptions } from './batching-options';
import { sliceRows } from './slice-rows';

export type { BatchMember, BatchResult, BatchRunner, FormedBatch, QueueOptions, RequestResult };

interface Queued {
  data: Float32Array;
  rows: number;
  enqueuedAt: number;
  /**
   * performance.now() time until which this request may be held for a fuller batch: its arrival
   * when it found a worker free (it never waits then), arrival + max_queue_delay when every worker
   * was busy.
   */
  holdUntil: number;
  trace: EnqueuedRequestTrace;
  /** performance.now() time after which the request is dropped; Infinity when none. */
  expiresAt: number;
  deadline: number | undefined;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
  onAbort: (() => void) | undefined;
  signal: AbortSignal | undefined;
  resolve: (r: RequestResult) => void;
  reject: (e: Error) => void;
}

class LevelQueue {
  items: Queued[] = [];
  head = 0;
  compact(): void {
    if (this.head > 256 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

export interface DynamicBatcherOptions {
  /** "model/version", for messages. */
  label: string;
  /** Columns per row. */
  width: number;
  batching: BatchingOptions;
  /** How many batches may run at once (the number of inference workers). */
  concurrency: number;
  run: BatchRunner;
}

/**
 * Triton's dynamic batcher for one model version, except that it never makes a request wait while
 * a worker is free. Requests wait in one FIFO queue per priority level; a batch is formed only when a
 * worker is free, taking requests in priority then arrival order (a request is never split). A
 * request that arrives while a worker is free is dispatched at once (with whatever arrived in the same
 * turn), without a timer. Requests that queued while every worker was busy form the next batch, which
 * is sent when it is full, when it reaches the largest preferred size it can, or when its oldest such
 * request has waited max_queue_delay: the delay only ever applies to those.
 */
export class DynamicBatcher {
  readonly #o: DynamicBatcherOptions;
  readonly #levels: LevelQueue[];
  #queued = 0;
  #running = 0;
  #pumpScheduled = false;
  readonly #pumpNow = (): void => {
    this.#pumpScheduled = false;
    this.#pump();
  };
  #delayTimer: NodeJS.Timeout | undefined;
  #closing = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: DynamicBatcherOptions) {
    this.#o = options;
    this.#levels = Array.from({ length: options.batching.priorityLevels }, () => new LevelQueue());
  }

  /** Requests waiting in the queue. */
  get queued(): number {
    return this.#queued;
  }

  /** Batches being computed. */
  get running(): number {
    return this.#running;
  }

  /**
   * Queues `rows` rows (data: rows × width floats) and resolves with this request's rows of every
   * output. Fails at once with RESOURCE_EXHAUSTED when the queue is full.
   */
  submit(data: Float32Array, rows: number, options: QueueOptions = {}): Promise<RequestResult> {
    const b = this.#o.batching;
    if (this.#closing) {
      return Promise.reject(new UnavailableError(`model ${this.#o.label}`, 'it is being unloaded'));
    }
    if (!Number.isInteger(rows) || rows < 1 || data.length !== rows * this.#o.width) {
      return Promise.reject(
        new InvalidArgumentError(
          'rows',
          `expected ${rows} rows of ${this.#o.width} values, got ${data.length} values`,
        ),
      );
    }
    if (b.maxBatchSize > 0 && rows > b.maxBatchSize) {
      return Promise.reject(
        new InvalidArgumentError(
          'rows',
          `${rows} rows exceed max_batch_size ${b.maxBatchSize} of model ${this.#o.label}`,
        ),
      );
    }
    const priority = options.priority ?? 0;
    if (!Number.isInteger(priority) || priority < 0 || priority > b.priorityLevels) {
      return Promise.reject(
        new InvalidArgumentError(
          'priority',
          `${priority} is not a priority level of model ${this.#o.label} (1 to ${b.priorityLevels}, 0 = default ${b.defaultPriorityLevel})`,
        ),
      );
    }
    const requestedTimeout = options.queueTimeoutUs ?? 0;
    if (!Number.isFinite(requestedTimeout) || requestedTimeout < 0) {
      return Promise.reject(
        new InvalidArgumentError('timeout', `must be a non-negative number of microseconds`),
      );
    }
    if (options.signal?.aborted) return Promise.reject(abortReason(options.signal));
    if (b.maxQueueSize > 0 && this.#queued >= b.maxQueueSize) {
      return Promise.reject(
        new ResourceExhaustedError(
          `queue of model ${this.#o.label} is full (max_queue_size ${b.maxQueueSize}); retry later`,
        ),
      );
    }
    const timeoutUs =
      b.defaultQueueTimeoutUs > 0
        ? requestedTimeout > 0
          ? Math.min(requestedTimeout, b.defaultQueueTimeoutUs)
          : b.defaultQueueTimeoutUs
        : requestedTimeout;
    const now = performance.now();
    const deadlineAt = options.deadline === undefined ? Infinity : now + (options.deadline - Date.now());
    const timeoutAt = timeoutUs > 0 ? now + timeoutUs / 1000 : Infinity;
    const level = (priority === 0 ? b.defaultPriorityLevel : priority) - 1;

    return new Promise<RequestResult>((resolve, reject) => {
      const entry: Queued = {
        data,
        rows,
        enqueuedAt: now,
        holdUntil: this.#running < this.#o.concurrency ? now : now + b.maxQueueDelayUs / 1000,
        trace: captureEnqueue(),
        expiresAt: Math.min(deadlineAt, timeoutAt),
        deadline: options.deadline,
        timer: undefined,
        settled: false,
        onAbort: undefined,
        signal: options.signal,
        resolve,
        reject,
      };
      if (entry.expiresAt !== Infinity) {
        const reason =
          timeoutAt <= deadlineAt
            ? `queue timeout of ${Math.round(timeoutUs)} µs passed before model ${this.#o.label} could compute the request`
            : `deadline passed while the request waited in the queue of model ${this.#o.label}`;
        entry.timer = setTimeout(
          () => this.#drop(entry, new DeadlineExceededError(reason)),
          Math.max(0, entry.expiresAt - now),
        );
      }
      if (options.signal) {
        const signal = options.signal;
        entry.onAbort = () => this.#drop(entry, abortReason(signal));
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.#levels[level]!.items.push(entry);
      this.#queued += 1;
      this.#schedulePump();
    });
  }

  /** Stops taking requests; resolves when every queued request has been computed (or dropped). */
  drain(): Promise<void> {
    this.#closing = true;
    this.#schedulePump();
    return this.#idle();
  }

  #idle(): Promise<void> {
    if (this.#queued === 0 && this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #checkIdle(): void {
    if (this.#queued === 0 && this.#running === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Removes a queued request and fails it (timeout, deadline, cancellation). */
  #drop(entry: Queued, error: Error): void {
    if (entry.settled) return;
    this.#settle(entry);
    this.#queued -= 1;
    entry.reject(error);
    this.#checkIdle();
  }

  #settle(entry: Queued): void {
    entry.settled = true;
    if (entry.timer) clearTimeout(entry.timer);
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
  }

  /**
   * Pumps once the current synchronous work is done (a microtask, not a timer), so requests submitted
   * together (a ScoreBatch's chunks, one read's calls) can share a batch without adding any wait.
   */
  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(this.#pumpNow);
  }

  #pump(): void {
    if (this.#delayTimer) {
      clearTimeout(this.#delayTimer);
      this.#delayTimer = undefined;
    }
    while (this.#running < this.#o.concurrency && this.#queued > 0) {
      const now = performance.now();
      const wallNow = Date.now();
      const choice = this.#choose(now, wallNow);
      if (choice === undefined) break;
      if (choice.waitUntil !== undefined) {
        this.#delayTimer = setTimeout(() => this.#pump(), Math.max(0, Math.ceil(choice.waitUntil - now)));
        break;
      }
      this.#dispatch(choice.take, now);
    }
    this.#checkIdle();
  }

  /**
   * Picks the next batch: the longest run of queued requests (priority order, then arrival) that fits
   * max_batch_size. Returns `waitUntil` when the batch should wait for more requests.
   */
  #choose(now: number, wallNow: number): { take: Queued[]; waitUntil?: number } | undefined {
    const b = this.#o.batching;
    const candidates: Queued[] = [];
    let rows = 0;
    let full = false;
    let holdUntil = Infinity;
    let preferredCount = 0;
    outer: for (const level of this.#levels) {
      for (let i = level.head; i < level.items.length; i += 1) {
        const entry = level.items[i]!;
        if (entry.settled) continue;
        if (entry.deadline !== undefined && entry.deadline <= wallNow) {
          this.#drop(
            entry,
            new DeadlineExceededError(
              `deadline passed before model ${this.#o.label} could compute the request`,
            ),
          );
          continue;
        }
        if (b.maxBatchSize === 0) {
          candidates.push(entry);
          full = true;
          break outer;
        }
        if (rows + entry.rows > b.maxBatchSize) {
          full = true;
          break outer;
        }
        candidates.push(entry);
        rows += entry.rows;
        holdUntil = Math.min(holdUntil, entry.holdUntil);
        if (b.preferredBatchSizes.includes(rows)) preferredCount = candidates.length;
        if (rows === b.maxBatchSize) {
          full = true;
          break outer;
        }
      }
    }
    this.#compactQueues();
    if (candidates.length === 0) return undefined;
    // The largest preferred size that can be formed now is sent at once (Triton's rule).
    if (preferredCount > 0) return { take: candidates.slice(0, preferredCount) };
    // Nothing more fits: send what there is.
    if (full) return { take: candidates };
    // A request that found a worker free never waits; the others wait at most max_queue_delay.
    if (this.#closing || now >= holdUntil) return { take: candidates };
    return { take: candidates, waitUntil: holdUntil };
  }

  #compactQueues(): void {
    for (const level of this.#levels) {
      while (level.head < level.items.length && level.items[level.head]!.settled) level.head += 1;
      level.compact();
    }
  }

  #dispatch(take: Queued[], now: number): void {
    const width = this.#o.width;
    let rows = 0;
    for (const e of take) rows += e.rows;
    const input = new Float32Array(rows * width);
    const members: BatchMember[] = [];
    let offset = 0;
    for (const e of take) {
      this.#settle(e);
      input.set(e.data, offset * width);
      members.push({
        rows: e.rows,
        offset,
        queueUs: Math.round((now - e.enqueuedAt) * 1000),
        trace: e.trace,
      });
      offset += e.rows;
    }
    this.#queued -= take.length;
    this.#compactQueues();
    this.#running += 1;
    const batch: FormedBatch = { input, rows, width, members };
    let result: Promise<BatchResult>;
    try {
      result = this.#o.run(batch);
    } catch (err) {
      result = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    result
      .then(
        (res) => {
          for (let i = 0; i < take.length; i += 1) {
            const m = members[i]!;
            try {
              take[i]!.resolve({
                outputs: sliceRows(res.outputs, m.offset, m.rows, rows),
                queueUs: m.queueUs,
                computeUs: res.computeUs,
                batchRows: rows,
              });
            } catch (err) {
              take[i]!.reject(err instanceof Error ? err : new Error(String(err)));
            }
          }
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          for (const e of take) e.reject(error);
        },
      )
      .finally(() => {
        this.#running -= 1;
        this.#schedulePump();
        this.#checkIdle();
      });
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DeadlineExceededError('request cancelled');
}
