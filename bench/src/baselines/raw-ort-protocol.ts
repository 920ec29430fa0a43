/** Messages between the runner and the raw ONNX Runtime baseline process. */
export interface RawOrtRequest {
  modelPath: string;
  inputName: string;
  width: number;
  batchSizes: number[];
  warmupMs: number;
  durationMs: number;
}

export interface RawOrtBatchResult {
  batchSize: number;
  /** Latency of every session.run() in the measured window, ms. */
  latenciesMs: number[];
  windowMs: number;
  cpuMs: number;
  wallMs: number;
}

export type RawOrtReply = { type: 'done'; results: RawOrtBatchResult[] } | { type: 'failed'; error: string };
