import type { EnqueuedRequestTrace } from '@tally/telemetry';
import type { OutputTensor } from '../inference/worker-protocol';

/** Per-request batching options. */
export interface QueueOptions {
  /** Priority level, 1 = highest; 0 or undefined = the model's default level. */
  priority?: number;
  /** Queue timeout in microseconds; 0 or undefined = the model's default. Can only lower it. */
  queueTimeoutUs?: number;
  /** The caller's deadline (ms since the epoch): a request still queued at its deadline is dropped. */
  deadline?: number;
  /** Aborting removes a queued request (its reason is the error it fails with). */
  signal?: AbortSignal;
}

/** One request's share of a batch. */
export interface BatchMember {
  rows: number;
  /** First row of this request in the batch. */
  offset: number;
  /** Time it waited in the queue, in microseconds. */
  queueUs: number;
  /** The request's trace context at enqueue (the batch span links to it). */
  trace: EnqueuedRequestTrace;
}

/** A batch the batcher formed, handed to the batch runner. */
export interface FormedBatch {
  /** The requests' rows one after another: [rows, width]. */
  input: Float32Array;
  rows: number;
  width: number;
  members: BatchMember[];
}

export interface BatchResult {
  outputs: OutputTensor[];
  computeUs: number;
}

/** What one request gets back: its own rows of every output. */
export interface RequestResult {
  outputs: OutputTensor[];
  queueUs: number;
  computeUs: number;
  /** Rows in the batch this request rode in. */
  batchRows: number;
}

/** Runs one batch (the single place a batch is computed). */
export type BatchRunner = (batch: FormedBatch) => Promise<BatchResult>;
