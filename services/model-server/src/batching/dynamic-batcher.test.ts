import { status } from '@grpc/grpc-js';
import { toStatus } from '@tally/grpc-kit';
import { DEFAULT_BATCHING } from './batching-options';
import type { BatchingOptions } from './batching-options';
import { DynamicBatcher } from './dynamic-batcher';
import type { BatchResult, FormedBatch, RequestResult } from './dynamic-batcher';

const WIDTH = 2;

/** A runner that records every batch and answers each row with the sum of its values. */
class RecordingRunner {
  readonly batches: FormedBatch[] = [];
  #gates: Array<() => void> = [];
  blocked = false;
  failWith: Error | undefined;

  run = async (batch: FormedBatch): Promise<BatchResult> => {
    this.batches.push(batch);
    if (this.blocked) await new Promise<void>((resolve) => this.#gates.push(resolve));
    if (this.failWith) throw this.failWith;
    const sums = new Float32Array(batch.rows);
    for (let r = 0; r < batch.rows; r += 1) sums[r] = batch.input[r * WIDTH]! + batch.input[r * WIDTH + 1]!;
    return { outputs: [{ name: 'sum', type: 'float32', dims: [batch.rows, 1], data: sums }], computeUs: 7 };
  };

  /** Lets every blocked batch finish. */
  release(): void {
    this.blocked = false;
    const gates = this.#gates;
    this.#gates = [];
    for (const g of gates) g();
  }

  get sizes(): number[] {
    return this.batches.map((b) => b.rows);
  }
}

function batcher(
  runner: RecordingRunner,
  batching: Partial<BatchingOptions>,
  concurrency = 1,
): DynamicBatcher {
  return new DynamicBatcher({
    label: 'test/1',
    width: WIDTH,
    batching: { ...DEFAULT_BATCHING, ...batching },
    concurrency,
    run: runner.run,
  });
}

/** `rows` rows whose values are (id, row index), so each row's sum identifies it. */
function rowsOf(id: number, rows = 1): Float32Array {
  const data = new Float32Array(rows * WIDTH);
  for (let r = 0; r < rows; r += 1) {
    data[r * WIDTH] = id;
    data[r * WIDTH + 1] = r * 1000;
  }
  return data;
}

function sums(result: RequestResult): number[] {
  return Array.from(result.outputs[0]!.data as Float32Array);
}

/** Lets queued microtasks run (no timer or I/O turn can run meanwhile). */
const microtasks = async (n = 10) => {
  for (let i = 0; i < n; i += 1) await Promise.resolve();
};

const turns = async (n = 5) => {
  for (let i = 0; i < n; i += 1) await new Promise((r) => setImmediate(r));
};

async function codeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (err) {
    return toStatus(err).code;
  }
  return status.OK;
}

describe('DynamicBatcher', () => {
  it('batches requests that arrive together and splits results back to exactly their senders', async () => {
    const runner = new RecordingRunner();
    const b = batcher(runner, { maxBatchSize: 16 });
    const results = await Promise.all([
      b.submit(rowsOf(1), 1),
      b.submit(rowsOf(2, 3), 3),
      b.submit(rowsOf(3, 2), 2),
    ]);
    expect(runner.sizes).toEqual([6]);
    expect(sums(results[0]!)).toEqual([1]);
    expect(sums(results[1]!)).toEqual([2, 1002, 2002]);
    expect(sums(results[2]!)).toEqual([3, 1003]);
    expect(results.map((r) => r.batchRows)).toEqual([6, 6, 6]);
    expect(results[1]!.outputs[0]!.dims).toEqual([3, 1]);
  });

  it('never exceeds max_batch_size and never splits a request', async () => {
    const runner = new RecordingRunner();
    const b = batcher(runner, { maxBatchSize: 4 });
    await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map((id) => b.submit(rowsOf(id, id % 2 === 0 ? 2 : 1), id % 2 === 0 ? 2 : 1)),
    );
    // rows: 1,2,1,2,1,2,1 → [1+2+1] then [2+1] ([2+1+2] would exceed 4) then [2+1]
    expect(runner.sizes).toEqual([4, 3, 3]);
    expect(runner.sizes.reduce((a, c) => a + c, 0)).toBe(10);
  });

  it('forms batches only when a worker is free, so load piles into bigger batches', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 64 }, 1);
    const first = b.submit(rowsOf(0), 1);
    await turns();
    const rest = Array.from({ length: 20 }, (_, i) => b.submit(rowsOf(i + 1), 1));
    await turns();
    expect(runner.sizes).toEqual([1]);
    runner.release();
    await Promise.all([first, ...rest]);
    expect(runner.sizes).toEqual([1, 20]);
  });

  it('dispatches a lone request at once, without a timer, however long max_queue_delay is', async () => {
    // Fake timers: nothing below can advance the clock, so the batch must go without any timer.
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      const runner = new RecordingRunner();
      const b = batcher(runner, { maxBatchSize: 64, maxQueueDelayUs: 60_000_000, preferredBatchSizes: [16] });
      const result = await b.submit(rowsOf(7), 1);
      expect(runner.sizes).toEqual([1]);
      expect(sums(result)).toEqual([7]);
      expect(result.queueUs).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('requests that arrive while the worker is busy form one batch when it frees', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      const runner = new RecordingRunner();
      runner.blocked = true;
      const b = batcher(runner, { maxBatchSize: 64, maxQueueDelayUs: 0 });
      const first = b.submit(rowsOf(0), 1);
      await microtasks();
      expect(runner.sizes).toEqual([1]);
      const rest = Array.from({ length: 20 }, (_, i) => b.submit(rowsOf(i + 1), 1));
      await microtasks();
      expect(runner.sizes).toEqual([1]);
      runner.release();
      await Promise.all([first, ...rest]);
      expect(runner.sizes).toEqual([1, 20]);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('with two workers, a request that finds one free goes at once beside the busy one', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 64, maxQueueDelayUs: 60_000_000 }, 2);
    const first = b.submit(rowsOf(1), 1);
    await microtasks();
    const second = b.submit(rowsOf(2), 1);
    await microtasks();
    expect(runner.sizes).toEqual([1, 1]);
    runner.release();
    await Promise.all([first, second]);
  });

  it('holds requests that queued while every worker was busy for at most max_queue_delay', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      const runner = new RecordingRunner();
      runner.blocked = true;
      const b = batcher(runner, { maxBatchSize: 8, maxQueueDelayUs: 20_000 });
      const first = b.submit(rowsOf(1), 1);
      await microtasks();
      const queued = [b.submit(rowsOf(2), 1), b.submit(rowsOf(3), 1)];
      runner.release();
      await first;
      await microtasks();
      expect(runner.sizes).toEqual([1]);
      expect(jest.getTimerCount()).toBe(1);
      jest.advanceTimersByTime(19);
      await microtasks();
      expect(runner.sizes).toEqual([1]);
      jest.advanceTimersByTime(1);
      const results = await Promise.all(queued);
      expect(runner.sizes).toEqual([1, 2]);
      expect(results.map((r) => r.queueUs)).toEqual([20_000, 20_000]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('sends a full batch of requests that queued while busy at once', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 2, maxQueueDelayUs: 60_000_000 });
    const first = b.submit(rowsOf(1), 1);
    await microtasks();
    const queued = [b.submit(rowsOf(2), 1), b.submit(rowsOf(3), 1)];
    runner.release();
    await Promise.all([first, ...queued]);
    expect(runner.sizes).toEqual([1, 2]);
  });

  it('sends the largest preferred batch size that can be formed without waiting', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 8, maxQueueDelayUs: 60_000_000, preferredBatchSizes: [2, 4] });
    const first = b.submit(rowsOf(0), 1);
    await microtasks();
    const five = [1, 2, 3, 4, 5].map((id) => b.submit(rowsOf(id), 1));
    runner.release();
    await Promise.all([first, ...five.slice(0, 4)]);
    await turns();
    // The fifth queued while the worker was busy: it waits for the delay or for company.
    expect(runner.sizes).toEqual([1, 4]);
    // The sixth finds the worker free, so it goes at once and takes the held fifth along.
    const sixth = b.submit(rowsOf(6), 1);
    await Promise.all([five[4], sixth]);
    expect(runner.sizes).toEqual([1, 4, 2]);
  });

  it('refuses at once with RESOURCE_EXHAUSTED when the queue is full', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 1, maxQueueSize: 2 });
    const running = b.submit(rowsOf(1), 1);
    await turns();
    const queued = [b.submit(rowsOf(2), 1), b.submit(rowsOf(3), 1)];
    expect(b.queued).toBe(2);
    expect(await codeOf(b.submit(rowsOf(4), 1))).toBe(status.RESOURCE_EXHAUSTED);
    runner.release();
    await Promise.all([running, ...queued]);
    expect(
      runner.batches.flatMap((batch) => Array.from(batch.input.filter((_, i) => i % WIDTH === 0))),
    ).toEqual([1, 2, 3]);
  });

  it('serves priority level 1 before level 2, and arrival order within a level', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 1, priorityLevels: 2, defaultPriorityLevel: 2 });
    const all = [b.submit(rowsOf(1), 1)];
    await turns();
    all.push(
      b.submit(rowsOf(2), 1),
      b.submit(rowsOf(3), 1, { priority: 1 }),
      b.submit(rowsOf(4), 1, { priority: 2 }),
    );
    all.push(b.submit(rowsOf(5), 1, { priority: 1 }));
    await turns();
    runner.release();
    await Promise.all(all);
    expect(runner.batches.map((batch) => batch.input[0])).toEqual([1, 3, 5, 2, 4]);
  });

  it('refuses priorities outside the levels with INVALID_ARGUMENT', async () => {
    const b = batcher(new RecordingRunner(), { priorityLevels: 2, defaultPriorityLevel: 1 });
    expect(await codeOf(b.submit(rowsOf(1), 1, { priority: 3 }))).toBe(status.INVALID_ARGUMENT);
  });

  it('times out queued requests with DEADLINE_EXCEEDED; a per-request timeout can only lower the default', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 1, defaultQueueTimeoutUs: 30_000 });
    const running = b.submit(rowsOf(1), 1);
    await turns();
    const defaultTimeout = b.submit(rowsOf(2), 1);
    const raised = b.submit(rowsOf(3), 1, { queueTimeoutUs: 60_000_000 });
    const lowered = b.submit(rowsOf(4), 1, { queueTimeoutUs: 1_000 });
    expect(await codeOf(lowered)).toBe(status.DEADLINE_EXCEEDED);
    expect(await codeOf(defaultTimeout)).toBe(status.DEADLINE_EXCEEDED);
    expect(await codeOf(raised)).toBe(status.DEADLINE_EXCEEDED);
    runner.release();
    await running;
    await turns();
    expect(runner.sizes).toEqual([1]);
    expect(b.queued).toBe(0);
  });

  it('drops a request whose deadline has passed before computing it', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 8 });
    const running = b.submit(rowsOf(1), 1);
    await turns();
    const late = b.submit(rowsOf(2), 1, { deadline: Date.now() - 1 });
    const onTime = b.submit(rowsOf(3), 1, { deadline: Date.now() + 60_000 });
    expect(await codeOf(late)).toBe(status.DEADLINE_EXCEEDED);
    runner.release();
    await Promise.all([running, onTime]);
    expect(runner.batches.map((batch) => Array.from(batch.input.filter((_, i) => i % WIDTH === 0)))).toEqual([
      [1],
      [3],
    ]);
  });

  it('removes a cancelled request from the queue', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 8 });
    const running = b.submit(rowsOf(1), 1);
    await turns();
    const controller = new AbortController();
    const cancelled = b.submit(rowsOf(2), 1, { signal: controller.signal });
    controller.abort(new Error('client went away'));
    await expect(cancelled).rejects.toThrow('client went away');
    expect(b.queued).toBe(0);
    runner.release();
    await running;
    expect(runner.sizes).toEqual([1]);
  });

  it('fails every request of a batch whose run fails, and keeps serving', async () => {
    const runner = new RecordingRunner();
    runner.failWith = new Error('worker died');
    const b = batcher(runner, { maxBatchSize: 8 });
    const failed = await Promise.allSettled([b.submit(rowsOf(1), 1), b.submit(rowsOf(2), 1)]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    runner.failWith = undefined;
    expect(sums(await b.submit(rowsOf(3), 1))).toEqual([3]);
  });

  it('with max_batch_size 0 runs every request alone, whatever its size', async () => {
    const runner = new RecordingRunner();
    const b = batcher(runner, { maxBatchSize: 0 });
    await Promise.all([b.submit(rowsOf(1, 100), 100), b.submit(rowsOf(2), 1), b.submit(rowsOf(3, 2), 2)]);
    expect(runner.sizes).toEqual([100, 1, 2]);
  });

  it('refuses a request larger than max_batch_size with INVALID_ARGUMENT', async () => {
    const b = batcher(new RecordingRunner(), { maxBatchSize: 4 });
    expect(await codeOf(b.submit(rowsOf(1, 5), 5))).toBe(status.INVALID_ARGUMENT);
  });

  it('drains: queued requests finish, new ones are refused with UNAVAILABLE', async () => {
    const runner = new RecordingRunner();
    runner.blocked = true;
    const b = batcher(runner, { maxBatchSize: 1 });
    const pending = [b.submit(rowsOf(1), 1), b.submit(rowsOf(2), 1)];
    await turns();
    const drained = b.drain();
    expect(await codeOf(b.submit(rowsOf(3), 1))).toBe(status.UNAVAILABLE);
    runner.release();
    runner.blocked = false;
    await drained;
    expect((await Promise.all(pending)).map((r) => sums(r)[0])).toEqual([1, 2]);
  });
});
