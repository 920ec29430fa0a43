/**
 * The body of one inference worker (a worker_thread): it owns one ONNX Runtime session of one model
 * version and runs the batches the main thread sends, one at a time. ONNX Runtime computes on the
 * calling JS thread, so running it here keeps the main thread free for gRPC and batching.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { createBatchExplainer } from './batch-explainer';
import type { BatchExplainer } from './batch-explainer';
import type {
  FromWorker,
  ModelSignature,
  OutputTensor,
  RunBatchMessage,
  TensorData,
  TensorElementType,
  TensorSignature,
  ToWorker,
  WorkerInit,
} from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('inference-worker must run in a worker_thread');
const init = workerData as WorkerInit;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function describe(values: readonly ort.InferenceSession.ValueMetadata[]): TensorSignature[] {
  return values.map((v) =>
    v.isTensor
      ? { name: v.name, type: v.type, shape: [...v.shape] }
      : { name: v.name, type: 'non-tensor', shape: [] },
  );
}

/** A typed array that owns its whole buffer, so the buffer can be transferred. */
function ownedCopy(data: TensorData): TensorData {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data;
  return data.slice() as TensorData;
}

async function main(): Promise<void> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(init.modelPath, {
      intraOpNumThreads: init.intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    post({ type: 'load-failed', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  const signature: ModelSignature = {
    inputs: describe(session.inputMetadata),
    outputs: describe(session.outputMetadata),
  };
  let explainer: BatchExplainer | undefined;
  try {
    explainer = init.explainer && createBatchExplainer(init.explainer, ort, session, init.inputName);
  } catch (err) {
    await session.release().catch(() => undefined);
    post({ type: 'load-failed', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  post({ type: 'ready', signature });

  // Batches run one after another: a session computes one batch at a time anyway.
  let chain: Promise<void> = Promise.resolve();
  port!.on('message', (message: ToWorker) => {
    if (message.type === 'stop') {
      chain = chain.then(async () => {
        await session.release().catch(() => undefined);
        port!.close(); // nothing keeps the thread alive any more: it ends by itself
      });
      return;
    }
    chain = chain.then(() => runBatch(session, message, explainer));
  });
}

async function runBatch(
  session: ort.InferenceSession,
  message: RunBatchMessage,
  explainer: BatchExplainer | undefined,
): Promise<void> {
  try {
    const feeds = {
      [init.inputName]: new ort.Tensor('float32', message.input, [message.rows, message.width]),
    };
    const started = performance.now();
    const results = await session.run(feeds);
    const outputs: OutputTensor[] = [];
    const transfer: ArrayBuffer[] = [];
    if (message.type === 'explain') {
      if (explainer === undefined) throw new Error('this model version has no explainer');
      for (const out of await explainer.explain(message.input, message.rows, message.width)) {
        outputs.push(out);
        transfer.push(out.data.buffer as ArrayBuffer);
      }
    }
    const computeUs = Math.round((performance.now() - started) * 1000);
    for (const name of session.outputNames) {
      const tensor = results[name];
      if (tensor === undefined) continue;
      const data = ownedCopy(tensor.data as TensorData);
      outputs.push({ name, type: tensor.type as TensorElementType, dims: [...tensor.dims], data });
      transfer.push(data.buffer as ArrayBuffer);
    }
    try {
      post({ type: 'result', id: message.id, outputs, computeUs }, transfer);
    } catch {
      // Buffers owned by native code may refuse to detach: send copies instead.
      const copies = outputs.map((o) => ({ ...o, data: o.data.slice() as TensorData }));
      post(
        { type: 'result', id: message.id, outputs: copies, computeUs },
        copies.map((o) => o.data.buffer as ArrayBuffer),
      );
    }
  } catch (err) {
    post({ type: 'run-failed', id: message.id, message: err instanceof Error ? err.message : String(err) });
  }
}

void main();
