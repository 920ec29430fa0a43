import fs from 'node:fs';
import { status } from '@grpc/grpc-js';
import type { inference, model } from '@tally/contracts';
import {
  buildMlpModel,
  callUnary,
  createModelRepository,
  grpcError,
  mlpConfig,
  startModelServer,
  writeModelVersion,
} from '../testing';
import type { RunningModelServer } from '../testing';

const WIDTH = 4;
let repository: string;
let server: RunningModelServer;

function infer(modelVersion = ''): Promise<inference.ModelInferResponse__Output> {
  return callUnary(server.inference.ModelInfer.bind(server.inference), {
    modelName: 'credit',
    modelVersion,
    inputs: [
      {
        name: 'features',
        datatype: 'FP32',
        shape: [1, WIDTH],
        contents: { fp32Contents: [0.5, -1, 2, 0.25] },
      },
    ],
  });
}

function load(version = ''): Promise<model.LoadModelResponse__Output> {
  return callUnary(server.scoring.LoadModel.bind(server.scoring), { name: 'credit', version });
}

function states(m: model.ModelStatus__Output | null): Record<string, string> {
  return Object.fromEntries(
    (m?.versions ?? []).map((v) => [v.version, v.state.replace('MODEL_VERSION_STATE_', '')]),
  );
}

beforeAll(async () => {
  repository = createModelRepository({
    credit: {
      config: mlpConfig({ input_width: WIDTH, instances: 2, version_policy: { latest: 1 } }),
      versions: { 1: buildMlpModel({ width: WIDTH, seed: 1 }) },
    },
  });
  server = await startModelServer(repository);
}, 90000);

afterAll(async () => {
  await server?.stop();
  fs.rmSync(repository, { recursive: true, force: true });
});

it('reloads to a new version under steady load without failing a request; broken versions leave it serving', async () => {
  let stopped = false;
  const failures: string[] = [];
  const versionsSeen: string[] = [];
  const loop = async () => {
    for (let i = 0; i < 5000 && !stopped; i += 1) {
      try {
        const res = await infer();
        versionsSeen.push(res.modelVersion);
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  };
  const loops = Array.from({ length: 8 }, loop);
  const waitForTraffic = async (count: number) => {
    const target = versionsSeen.length + count;
    for (let i = 0; i < 1000 && versionsSeen.length < target && failures.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    await waitForTraffic(50);

    // A new version: loaded and warmed, then it takes traffic and version 1 drains.
    writeModelVersion(repository, 'credit', 2, buildMlpModel({ width: WIDTH, seed: 2 }));
    const reloaded = await load();
    expect(states(reloaded.model)).toEqual({ '1': 'UNAVAILABLE', '2': 'READY' });
    await waitForTraffic(50);

    // A corrupt file: the load fails naming the file, version 2 keeps serving.
    writeModelVersion(repository, 'credit', 3, Buffer.from('this is not an ONNX model'));
    const corrupt = await grpcError(load());
    expect(corrupt.code).toBe(status.FAILED_PRECONDITION);
    expect(corrupt.details).toContain('3/model.onnx');
    await waitForTraffic(50);

    // A version whose input width differs from the config: refused, saying what differs.
    fs.rmSync(`${repository}/credit/3`, { recursive: true });
    writeModelVersion(repository, 'credit', 4, buildMlpModel({ width: WIDTH + 1 }));
    const mismatch = await grpcError(load());
    expect(mismatch.code).toBe(status.FAILED_PRECONDITION);
    expect(mismatch.details).toContain(`has width ${WIDTH + 1} but config input_width is ${WIDTH}`);
    await waitForTraffic(50);
  } finally {
    stopped = true;
    await Promise.all(loops);
  }
  expect(failures).toEqual([]);
  expect(versionsSeen).toContain('1');
  expect(versionsSeen).toContain('2');
  expect(versionsSeen.slice(-20).every((v) => v === '2')).toBe(true);

  const list = await callUnary<object, model.ListModelsResponse__Output>(
    server.scoring.ListModels.bind(server.scoring),
    {},
  );
  const credit = list.models.find((m) => m.name === 'credit')!;
  expect(states(credit)).toEqual({ '1': 'UNAVAILABLE', '2': 'READY', '4': 'FAILED' });
  expect(credit.versions.find((v) => v.version === '4')!.reason).toContain('input_width');
  expect(credit.versionPolicy).toBe('latest:1');
});

it('unloads a version and loads a specific one on request', async () => {
  fs.rmSync(`${repository}/credit/4`, { recursive: true });
  const unloaded = await callUnary(server.scoring.UnloadModel.bind(server.scoring), {
    name: 'credit',
    version: '2',
  });
  expect(states((unloaded as model.UnloadModelResponse__Output).model)['2']).toBe('UNAVAILABLE');
  expect((await grpcError(infer())).code).toBe(status.UNAVAILABLE);
  // Loading version 1 explicitly also re-applies the policy (latest:1 → version 2 again).
  const loaded = await load('1');
  expect(states(loaded.model)).toEqual({ '1': 'READY', '2': 'READY' });
  expect((await infer('1')).modelVersion).toBe('1');
  expect((await infer()).modelVersion).toBe('2');
  const unknown = await grpcError(load('9'));
  expect(unknown.code).toBe(status.NOT_FOUND);
  expect(unknown.details).toContain("'credit/9'");
});
