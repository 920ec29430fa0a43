import type { ExplainerSpec } from '../explain/explainer-spec';

/**
 * Messages between the main thread and an inference worker. Tensor data crosses by transfer (the
 * ArrayBuffer moves, it is not copied).
 */

/** ONNX Runtime tensor element types the server passes through. */
export type TensorElementType =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/** One input or output as the model declares it; a string dimension is symbolic (variable). */
export interface TensorSignature {
  name: string;
  /** An element type above, or what ONNX Runtime reports for anything else (refused at load). */
  type: string;
  shape: Array<number | string>;
}

export interface ModelSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

/** A computed tensor. */
export interface OutputTensor {
  name: string;
  type: TensorElementType;
  dims: number[];
  data: TensorData;
}

/** Passed as `workerData`. */
export interface WorkerInit {
  modelPath: string;
  inputName: string;
  intraOpThreads: number;
  /** How to explain `explain` batches; undefined = the version has no explainer. */
  explainer?: ExplainerSpec;
}

/**
 * `run` computes the batch; `explain` computes it and the attributions of every row (two extra
 * float64 outputs, see batch-explainer.ts).
 */
export interface RunBatchMessage {
  type: 'run' | 'explain';
  id: number;
  input: Float32Array;
  rows: number;
  width: number;
}

/**
 * Asks the worker to finish the batches it has, release its session and end its thread. A worker is
 * never terminated from outside while ONNX Runtime may be inside a native call (loading or
 * computing): that aborts the whole process.
 */
export interface StopMessage {
  type: 'stop';
}

export type ToWorker = RunBatchMessage | StopMessage;

export type FromWorker =
  | { type: 'ready'; signature: ModelSignature }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; id: number; outputs: OutputTensor[]; computeUs: number }
  | { type: 'run-failed'; id: number; message: string };
