/**
 * The dynamic batcher's options, named after Triton's `dynamic_batching` settings. See the
 * model-server README for what each one does and how they interact.
 */
export interface BatchingOptions {
  /** Most rows in one batch. 0 turns dynamic batching off: every request runs alone, any size. */
  maxBatchSize: number;
  /** How long the oldest queued request may wait for a batch to fill, in microseconds. */
  maxQueueDelayUs: number;
  /** Batch sizes (rows) to send as soon as they can be formed, without waiting for the delay. */
  preferredBatchSizes: number[];
  /** Most requests waiting in the queue; more are refused with RESOURCE_EXHAUSTED. 0 = unbounded. */
  maxQueueSize: number;
  /** Queue timeout of a request that sets none, in microseconds. 0 = no queue timeout. */
  defaultQueueTimeoutUs: number;
  /** Number of priority levels; level 1 is served first. */
  priorityLevels: number;
  /** The level of a request that asks for none (priority 0). */
  defaultPriorityLevel: number;
}

export const DEFAULT_BATCHING: BatchingOptions = {
  maxBatchSize: 32,
  maxQueueDelayUs: 0,
  preferredBatchSizes: [],
  maxQueueSize: 1024,
  defaultQueueTimeoutUs: 0,
  priorityLevels: 1,
  defaultPriorityLevel: 1,
};
