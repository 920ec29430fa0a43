import fs from 'node:fs';
import type { inference } from '@tally/contracts';
import {
  buildMlpModel,
  buildSlowModel,
  callUnary,
  createModelRepository,
  metricValue,
  mlpConfig,
  scrapeMetrics,
  startModelServer,
} from '../testing';
import type { RunningModelServer } from '../testing';

const WIDTH = 4;
const SLOW_ROWS = 2048;
let repository: string;
let server: RunningModelServer;

function infer(
  req: inference.ModelInferRequest,
  timeoutMs = 30000,
): Promise<inference.ModelInferResponse__Output> {
  return callUnary(server.inference.ModelInfer.bind(server.inference), req, timeoutMs);
}

function row(i: number): number[] {
  return [i / 10, (i % 7) - 3, Math.sin(i), 1 - i / 64];
}

function p1(res: inference.ModelInferResponse__Output): number {
  return res.outputs.find((o) => o.name === 'probabilities')!.contents!.fp32Contents[1]!;
}

beforeAll(async () => {
  repository = createModelRepository({
    mlp: {
      config: mlpConfig({ batching: { max_batch_size: 64, max_queue_delay_microseconds: 20000 } }),
      versions: { 1: buildMlpModel({ width: WIDTH }) },
    },
    slow: {
      config: mlpConfig({ score_output: 'score', score_index: 0, batching: { max_batch_size: SLOW_ROWS } }),
      versions: { 1: buildSlowModel({ width: WIDTH, inner: 512, steps: 40 }) },
    },
  });
  server = await startModelServer(repository);
}, 90000);

afterAll(async () => {
  await server?.stop();
  fs.rmSync(repository, { recursive: true, force: true });
});

it('executes 64 concurrent single-row requests in far fewer batches, each answer going to its sender', async () => {
  const labels = { model: 'mlp', version: '1' };
  const before = await scrapeMetrics(server.metricsPort);
  const responses = await Promise.all(
    Array.from({ length: 64 }, (_, i) =>
      infer({
        modelName: 'mlp',
        id: `r${i}`,
        inputs: [
          { name: 'features', datatype: 'FP32', shape: [1, WIDTH], contents: { fp32Contents: row(i) } },
        ],
      }),
    ),
  );
  const after = await scrapeMetrics(server.metricsPort);
  const batches =
    metricValue(after, 'tally_inference_batches_total', labels) -
    metricValue(before, 'tally_inference_batches_total', labels);
  const rows =
    metricValue(after, 'tally_inference_rows_total', labels) -
    metricValue(before, 'tally_inference_rows_total', labels);
  expect(rows).toBe(64);
  expect(batches).toBeGreaterThanOrEqual(1);
  expect(batches).toBeLessThanOrEqual(8);
  expect(
    metricValue(after, 'tally_inference_requests_total', { ...labels, outcome: 'success' }) -
      metricValue(before, 'tally_inference_requests_total', { ...labels, outcome: 'success' }),
  ).toBe(64);

  // Each response is the one for its own row: the same as that row computed alone.
  expect(responses.map((r) => r.id)).toEqual(responses.map((_, i) => `r${i}`));
  for (const i of [0, 17, 42, 63]) {
    const alone = await infer({
      modelName: 'mlp',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [1, WIDTH], contents: { fp32Contents: row(i) } }],
    });
    expect(p1(responses[i]!)).toBeCloseTo(p1(alone), 6);
  }
});

it('keeps answering other calls while a large batch computes', async () => {
  const raw = Buffer.alloc(SLOW_ROWS * WIDTH * 4);
  for (let i = 0; i < SLOW_ROWS * WIDTH; i += 1) raw.writeFloatLE(((i % 13) - 6) / 6, i * 4);
  let bigDone = false;
  const big = infer({
    modelName: 'slow',
    inputs: [{ name: 'features', datatype: 'FP32', shape: [SLOW_ROWS, WIDTH] }],
    rawInputContents: [raw],
  }).then((res) => {
    bigDone = true;
    return res;
  });
  let answeredWhileComputing = 0;
  for (let i = 0; i < 500 && !bigDone; i += 1) {
    const live = await callUnary(server.inference.ServerLive.bind(server.inference), {});
    if (!bigDone && (live as { live: boolean }).live) answeredWhileComputing += 1;
  }
  const res = await big;
  expect(res.outputs[0]!.shape).toEqual([SLOW_ROWS, 1]);
  expect(res.rawOutputContents[0]!.length).toBe(SLOW_ROWS * 4);
  // The event loop of the server was free while ONNX Runtime computed in a worker.
  expect(answeredWhileComputing).toBeGreaterThanOrEqual(5);
  const metrics = await scrapeMetrics(server.metricsPort);
  expect(metricValue(metrics, 'tally_inference_rows_total', { model: 'slow' })).toBe(SLOW_ROWS);
});
