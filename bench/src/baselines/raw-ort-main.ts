/**
 * The raw ONNX Runtime baseline, in its own process: one InferenceSession on the JS thread, run back
 * to back at each batch size, no gRPC and no batcher. What the model itself costs per row here.
 */
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import type { RawOrtBatchResult, RawOrtReply, RawOrtRequest } from './raw-ort-protocol';

async function measureBatch(
  session: ort.InferenceSession,
  request: RawOrtRequest,
  batchSize: number,
): Promise<RawOrtBatchResult> {
  const data = new Float32Array(batchSize * request.width);
  for (let i = 0; i < data.length; i += 1) data[i] = ((i * 7919) % 1000) / 1000;
  const feeds = { [request.inputName]: new ort.Tensor('float32', data, [batchSize, request.width]) };
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const warmEnd = start + request.warmupMs;
  const end = warmEnd + request.durationMs;
  const latenciesMs: number[] = [];
  for (;;) {
    const t0 = performance.now();
    if (t0 >= end) break;
    await session.run(feeds);
    if (t0 >= warmEnd) latenciesMs.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    batchSize,
    latenciesMs,
    windowMs: request.durationMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - start,
  };
}

function reply(message: RawOrtReply): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

process.once('message', (request: RawOrtRequest) => {
  void (async () => {
    try {
      const session = await ort.InferenceSession.create(request.modelPath, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      });
      const results: RawOrtBatchResult[] = [];
      for (const batchSize of request.batchSizes)
        results.push(await measureBatch(session, request, batchSize));
      await session.release();
      await reply({ type: 'done', results });
    } catch (err) {
      await reply({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
    } finally {
      process.disconnect();
    }
  })();
});
