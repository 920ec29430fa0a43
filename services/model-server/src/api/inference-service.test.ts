import fs from 'node:fs';
import { status } from '@grpc/grpc-js';
import type { inference } from '@tally/contracts';
import {
  buildMlpModel,
  callUnary,
  createModelRepository,
  grpcError,
  mlpConfig,
  startModelServer,
} from '../testing';
import type { RunningModelServer } from '../testing';

const WIDTH = 4;
let repository: string;
let server: RunningModelServer;

type InferRequest = inference.ModelInferRequest;

function infer(req: InferRequest): Promise<inference.ModelInferResponse__Output> {
  return callUnary(server.inference.ModelInfer.bind(server.inference), req);
}

function fp32Request(rows: number[][], extra: Partial<InferRequest> = {}): InferRequest {
  return {
    modelName: 'credit',
    inputs: [
      {
        name: 'features',
        datatype: 'FP32',
        shape: [rows.length, WIDTH],
        contents: { fp32Contents: rows.flat() },
      },
    ],
    ...extra,
  };
}

function probabilities(res: inference.ModelInferResponse__Output): number[] {
  const out = res.outputs.find((o) => o.name === 'probabilities');
  if (!out) throw new Error('no probabilities output');
  if (out.contents && out.contents.fp32Contents.length > 0) return out.contents.fp32Contents;
  const i = res.outputs.indexOf(out);
  const raw = res.rawOutputContents[i]!;
  return Array.from({ length: raw.length / 4 }, (_, k) => raw.readFloatLE(k * 4));
}

const ROWS = [
  [0.1, 0.2, 0.3, 0.4],
  [1, -1, 0.5, 2],
  [3, 0, 0, -2],
];

beforeAll(async () => {
  repository = createModelRepository({
    credit: { config: mlpConfig(), versions: { 1: buildMlpModel({ width: WIDTH, seed: 1 }) } },
    broken_config: {
      config: 'feature_set: credit_risk\ninput: features\nscore_output: probabilities\ninstances: 0\n',
      versions: { 1: buildMlpModel({ width: WIDTH }) },
    },
  });
  server = await startModelServer(repository);
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(repository, { recursive: true, force: true });
});

describe('Open Inference Protocol v2', () => {
  it('answers liveness, metadata and readiness', async () => {
    const c = server.inference;
    expect(await callUnary(c.ServerLive.bind(c), {})).toEqual({ live: true });
    // One model has a broken config, so the server as a whole is not ready; the good one is.
    expect(await callUnary(c.ServerReady.bind(c), {})).toEqual({ ready: false });
    expect(await callUnary(c.ModelReady.bind(c), { name: 'credit' })).toEqual({ ready: true });
    expect(await callUnary(c.ModelReady.bind(c), { name: 'credit', version: '1' })).toEqual({ ready: true });
    expect(await callUnary(c.ModelReady.bind(c), { name: 'broken_config' })).toEqual({ ready: false });
    const meta = await callUnary<object, inference.ServerMetadataResponse__Output>(
      c.ServerMetadata.bind(c),
      {},
    );
    expect(meta.name).toBe('tally-model-server');
    const model = await callUnary<inference.ModelMetadataRequest, inference.ModelMetadataResponse__Output>(
      c.ModelMetadata.bind(c),
      { name: 'credit' },
    );
    expect(model).toMatchObject({ name: 'credit', versions: ['1'], platform: 'onnxruntime_onnx' });
    expect(model.inputs).toEqual([{ name: 'features', datatype: 'FP32', shape: [-1, WIDTH] }]);
    expect(model.outputs).toEqual(
      expect.arrayContaining([
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
        { name: 'label', datatype: 'INT64', shape: [-1] },
      ]),
    );
  });

  it('computes typed contents, echoes the id and returns typed outputs', async () => {
    const res = await infer(fp32Request(ROWS, { id: 'req-42' }));
    expect(res.id).toBe('req-42');
    expect(res.modelName).toBe('credit');
    expect(res.modelVersion).toBe('1');
    expect(res.rawOutputContents).toEqual([]);
    const p = probabilities(res);
    expect(p).toHaveLength(ROWS.length * 2);
    for (let r = 0; r < ROWS.length; r += 1) {
      expect(p[r * 2]! + p[r * 2 + 1]!).toBeCloseTo(1, 5);
    }
    const labels = res.outputs.find((o) => o.name === 'label')!;
    expect(labels.shape).toEqual([ROWS.length]);
    expect(labels.contents!.int64Contents.map(Number)).toEqual(
      ROWS.map((_, r) => (p[r * 2 + 1]! > p[r * 2]! ? 1 : 0)),
    );
  });

  it('gives the same answer for raw FP32 input, answering in raw form, and per row as in a batch', async () => {
    const typed = probabilities(await infer(fp32Request(ROWS)));
    const raw = Buffer.alloc(ROWS.length * WIDTH * 4);
    ROWS.flat().forEach((v, i) => raw.writeFloatLE(v, i * 4));
    const res = await infer({
      modelName: 'credit',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [ROWS.length, WIDTH] }],
      rawInputContents: [raw],
      outputs: [{ name: 'probabilities' }],
    });
    expect(res.outputs.map((o) => o.name)).toEqual(['probabilities']);
    expect(res.outputs[0]!.contents?.fp32Contents ?? []).toEqual([]);
    expect(res.rawOutputContents).toHaveLength(1);
    expect(probabilities(res)).toEqual(typed);
    const single = probabilities(await infer(fp32Request([ROWS[1]!])));
    expect(single[0]).toBeCloseTo(typed[2]!, 6);
    expect(single[1]).toBeCloseTo(typed[3]!, 6);
  });

  it('converts FP64, INT32, INT64 and BOOL inputs to float32', async () => {
    const ints = [
      [1, 0, 2, 3],
      [0, 1, 1, 0],
    ];
    const expected = probabilities(await infer(fp32Request(ints)));
    const shape = [2, WIDTH];
    const variants: InferRequest[] = [
      {
        modelName: 'credit',
        inputs: [{ name: 'features', datatype: 'FP64', shape, contents: { fp64Contents: ints.flat() } }],
      },
      {
        modelName: 'credit',
        inputs: [{ name: 'features', datatype: 'INT32', shape, contents: { intContents: ints.flat() } }],
      },
      {
        modelName: 'credit',
        inputs: [{ name: 'features', datatype: 'INT64', shape, contents: { int64Contents: ints.flat() } }],
      },
    ];
    for (const req of variants) expect(probabilities(await infer(req))).toEqual(expected);
    const raw64 = Buffer.alloc(8 * 8);
    ints.flat().forEach((v, i) => raw64.writeBigInt64LE(BigInt(v), i * 8));
    expect(
      probabilities(
        await infer({
          modelName: 'credit',
          inputs: [{ name: 'features', datatype: 'INT64', shape }],
          rawInputContents: [raw64],
        }),
      ),
    ).toEqual(expected);
    const bools = [
      [1, 0, 1, 1],
      [0, 1, 1, 0],
    ];
    expect(
      probabilities(
        await infer({
          modelName: 'credit',
          inputs: [
            {
              name: 'features',
              datatype: 'BOOL',
              shape,
              contents: { boolContents: bools.flat().map((b) => b === 1) },
            },
          ],
        }),
      ),
    ).toEqual(probabilities(await infer(fp32Request(bools))));
  });

  it('refuses unknown models and versions with NOT_FOUND naming them', async () => {
    const unknownModel = await grpcError(infer({ ...fp32Request(ROWS), modelName: 'nope' }));
    expect(unknownModel.code).toBe(status.NOT_FOUND);
    expect(unknownModel.details).toContain("'nope'");
    const unknownVersion = await grpcError(infer({ ...fp32Request(ROWS), modelVersion: '7' }));
    expect(unknownVersion.code).toBe(status.NOT_FOUND);
    expect(unknownVersion.details).toContain("'credit/7'");
    const meta = await grpcError(
      callUnary(server.inference.ModelMetadata.bind(server.inference), { name: 'nope' }),
    );
    expect(meta.code).toBe(status.NOT_FOUND);
    const failed = await grpcError(infer({ ...fp32Request(ROWS), modelName: 'broken_config' }));
    expect(failed.code).toBe(status.UNAVAILABLE);
    expect(failed.details).toContain('instances');
  });

  it.each<[string, InferRequest, string]>([
    ['no inputs', { modelName: 'credit', inputs: [] }, 'inputs'],
    [
      'a wrong tensor name',
      { ...fp32Request(ROWS), inputs: [{ ...fp32Request(ROWS).inputs![0]!, name: 'x' }] },
      "'x'",
    ],
    [
      'an unsupported datatype',
      { ...fp32Request(ROWS), inputs: [{ ...fp32Request(ROWS).inputs![0]!, datatype: 'BYTES' }] },
      "inputs['features'].datatype",
    ],
    [
      'a wrong width',
      { ...fp32Request(ROWS), inputs: [{ ...fp32Request(ROWS).inputs![0]!, shape: [4, 3] }] },
      "inputs['features'].shape",
    ],
    [
      'a rank-1 shape',
      { ...fp32Request(ROWS), inputs: [{ ...fp32Request(ROWS).inputs![0]!, shape: [12] }] },
      "inputs['features'].shape",
    ],
    [
      'too few values',
      { ...fp32Request(ROWS), inputs: [{ ...fp32Request(ROWS).inputs![0]!, shape: [4, WIDTH] }] },
      "inputs['features'].contents.fp32_contents",
    ],
    [
      'a raw byte length off by one',
      {
        modelName: 'credit',
        inputs: [{ name: 'features', datatype: 'FP32', shape: [1, WIDTH] }],
        rawInputContents: [Buffer.alloc(15)],
      },
      "raw_input_contents for inputs['features']",
    ],
    ['NaN', fp32Request([[0, Number.NaN, 0, 0]]), "inputs['features']: element 1 is NaN"],
    [
      'Infinity',
      fp32Request([[0, 0, 0, Number.POSITIVE_INFINITY]]),
      "inputs['features']: element 3 is +Infinity",
    ],
    [
      'an FP64 value beyond float32',
      {
        modelName: 'credit',
        inputs: [
          {
            name: 'features',
            datatype: 'FP64',
            shape: [1, WIDTH],
            contents: { fp64Contents: [0, 1e300, 0, 0] },
          },
        ],
      },
      'float32 range',
    ],
    ['too many rows', fp32Request(Array.from({ length: 65 }, () => [0, 0, 0, 0])), 'max_batch_size 64'],
    [
      'an unknown output',
      { ...fp32Request(ROWS), outputs: [{ name: 'logits' }] },
      "outputs[0].name: 'logits'",
    ],
    [
      'a priority beyond the levels',
      { ...fp32Request(ROWS), parameters: { priority: { int64Param: 5 } } },
      'priority',
    ],
    [
      'a non-integer timeout',
      { ...fp32Request(ROWS), parameters: { timeout: { stringParam: 'soon' } } },
      'parameters.timeout',
    ],
  ])('refuses %s with INVALID_ARGUMENT naming it', async (_what, req, named) => {
    const err = await grpcError(infer(req));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toContain(named);
  });

  it('is still serving after all the bad input', async () => {
    expect(probabilities(await infer(fp32Request(ROWS)))).toHaveLength(ROWS.length * 2);
    expect(server.process.hasExited).toBe(false);
  });
});
