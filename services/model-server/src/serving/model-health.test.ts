import fs from 'node:fs';
import type { inference, model } from '@tally/contracts';
import { checkHealth } from '@tally/testkit';
import {
  buildMlpModel,
  callUnary,
  createModelRepository,
  metricValue,
  mlpConfig,
  scrapeMetrics,
  startModelServer,
  writeModelConfig,
  writeModelVersion,
} from '../testing';
import type { RunningModelServer } from '../testing';

const WIDTH = 4;
const NAMES = ['', 'tally.model.v1.ScoringService', 'inference.GRPCInferenceService', 'liveness'];

let repository: string;
let server: RunningModelServer;

async function health(...extra: string[]): Promise<Record<string, string>> {
  const names = [...NAMES, ...extra];
  const statuses = await Promise.all(names.map((n) => checkHealth(server.address, n)));
  return Object.fromEntries(names.map((n, i) => [n, statuses[i]!]));
}

function load(name: string, version = ''): Promise<model.LoadModelResponse__Output> {
  return callUnary(server.scoring.LoadModel.bind(server.scoring), { name, version }, 60_000);
}

beforeAll(async () => {
  repository = createModelRepository({
    good: {
      config: mlpConfig({ input_width: WIDTH }),
      versions: { 1: buildMlpModel({ width: WIDTH, seed: 1 }) },
    },
    // Every version of this one fails to load: not an ONNX model.
    broken: {
      config: mlpConfig({ input_width: WIDTH }),
      versions: { 1: new TextEncoder().encode('not onnx') },
    },
  });
  server = await startModelServer(repository);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  fs.rmSync(repository, { recursive: true, force: true });
});

it('is NOT_SERVING while a configured model has no ready version, per model names say which, liveness stays SERVING', async () => {
  expect(await health('model/good', 'model/broken')).toEqual({
    '': 'NOT_SERVING',
    'tally.model.v1.ScoringService': 'NOT_SERVING',
    'inference.GRPCInferenceService': 'NOT_SERVING',
    liveness: 'SERVING',
    'model/good': 'SERVING',
    'model/broken': 'NOT_SERVING',
  });
  const ready: inference.ServerReadyResponse__Output = await callUnary(
    server.inference.ServerReady.bind(server.inference),
    {},
  );
  expect(ready.ready).toBe(false);

  // A fixed version loaded by LoadModel makes the server ready.
  writeModelVersion(repository, 'broken', 1, buildMlpModel({ width: WIDTH, seed: 2 }));
  await load('broken');
  expect(await health('model/good', 'model/broken')).toEqual({
    '': 'SERVING',
    'tally.model.v1.ScoringService': 'SERVING',
    'inference.GRPCInferenceService': 'SERVING',
    liveness: 'SERVING',
    'model/good': 'SERVING',
    'model/broken': 'SERVING',
  });

  // A model unloaded on purpose no longer counts for readiness; its own name says it is not serving.
  await callUnary(server.scoring.UnloadModel.bind(server.scoring), { name: 'good', version: '' });
  expect(await health('model/good')).toMatchObject({ '': 'SERVING', 'model/good': 'NOT_SERVING' });
});

it('concurrent LoadModel calls for a model not loaded yet load it once', async () => {
  writeModelConfig(repository, 'late', mlpConfig({ input_width: WIDTH, instances: 2 }));
  writeModelVersion(repository, 'late', 1, buildMlpModel({ width: WIDTH, seed: 3 }));
  const results = await Promise.all(Array.from({ length: 6 }, () => load('late')));
  for (const result of results) {
    expect(result.model?.versions.map((v) => [v.version, v.state])).toEqual([
      ['1', 'MODEL_VERSION_STATE_READY'],
    ]);
  }
  const metrics = await scrapeMetrics(server.metricsPort);
  expect(metricValue(metrics, 'tally_model_loads_total', { model: 'late', outcome: 'success' })).toBe(1);
  const readyLines = server.process
    .records()
    .filter((r) => r.message === 'model version ready' && r.model === 'late');
  expect(readyLines).toHaveLength(1);
  expect(await checkHealth(server.address, 'model/late')).toBe('SERVING');
});
