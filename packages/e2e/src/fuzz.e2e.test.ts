import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  featureServiceDefinition,
  inferenceServiceDefinition,
  scoringServiceDefinition,
} from '@tally/contracts';
import { checkHealth } from '@tally/testkit';
import fc from 'fast-check';
import { startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

// Property-based fuzzing of every RPC of both services, over the wire, against real processes: random
// requests built from the contracts' own shapes, and valid requests whose encoded bytes are mutated.
// Bad input must get a proper status (never INTERNAL or UNKNOWN), and both processes must stay up.
// TALLY_FUZZ_RUNS sets the runs per property (default 40: the suite stays well under a minute).
const RUNS = Number(process.env.TALLY_FUZZ_RUNS ?? 40);
const FORBIDDEN = new Set([grpc.status.INTERNAL, grpc.status.UNKNOWN]);

let tmp: string;
let featureService: RunningService;
let modelServer: RunningService;

type Definition = grpc.ServiceDefinition;
const clients = new Map<string, grpc.Client>();

type Call = { service: string; method: string; code: number; details: string; request: string };

/** Sends `request` (an object, or raw bytes) to `method` and returns the status it ended with. */
function send(
  address: string,
  definition: Definition,
  method: string,
  request: unknown,
): Promise<{ code: number; details: string }> {
  const spec = definition[method]!;
  let client = clients.get(address);
  if (client === undefined) {
    client = new grpc.Client(address, grpc.credentials.createInsecure());
    clients.set(address, client);
  }
  const serialize = (value: unknown): Buffer =>
    Buffer.isBuffer(value) ? value : spec.requestSerialize(value);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      spec.path,
      serialize,
      (bytes: Buffer) => bytes,
      request,
      new grpc.Metadata(),
      { deadline: Date.now() + 20_000 },
      (err) => {
        resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' });
      },
    );
  });
}

// ---- Arbitraries shaped like the contracts --------------------------------------------------------

const int64 = fc
  .oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.constantFrom(0n, 1n, -1n, 17n, 2n ** 53n, 2n ** 53n + 1n),
  )
  .map(String);
const double = fc.oneof(
  fc.double(),
  fc.constantFrom(1e300, -1e300, 3.5e38, Number.MIN_VALUE, -0, NaN, Infinity, -Infinity, 5000, 36),
);
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ maxLength: 1100, unit: 'binary' }),
  fc.constantFrom('', ' ', 'C1', 'E1', 'RENT', 'credit_risk', '../../etc', '\u0000'),
);
const value = fc.oneof(
  fc.record({ doubleValue: double }),
  fc.record({ int64Value: int64 }),
  fc.record({ boolValue: fc.boolean() }),
  fc.record({ stringValue: text }),
  fc.constant({ nullValue: 'NULL_VALUE' }),
  fc.constant({}),
);
const fieldName = fc.oneof(
  fc.constantFrom('applicant_id', 'amount', 'term', 'int_rate', 'sub_grade', 'annual_inc', 'grade'),
  fc.string({ maxLength: 20 }),
);
const valueMap = fc.dictionary(fieldName, value, { maxKeys: 6 });
const name = (...known: string[]) => fc.oneof(fc.constantFrom(...known), text);
const version = fc.oneof(fc.constantFrom('', '1', '2', '3', '0', '-1', '01', '999999999999'), text);
const uint32 = fc.oneof(fc.nat({ max: 4 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const uint64 = fc.oneof(fc.constantFrom('0', '1', '1000', '18446744073709551615'), fc.nat().map(String));
const inferParameter = fc.oneof(
  fc.record({ boolParam: fc.boolean() }),
  fc.record({ int64Param: int64 }),
  fc.record({ stringParam: text }),
  fc.record({ doubleParam: double }),
  fc.record({ uint64Param: uint64 }),
);
const inferParameters = fc.dictionary(
  fc.oneof(fc.constantFrom('priority', 'timeout', 'binary_data_size'), fc.string({ maxLength: 12 })),
  inferParameter,
  { maxKeys: 3 },
);
const tensorContents = fc.record(
  {
    boolContents: fc.array(fc.boolean(), { maxLength: 8 }),
    intContents: fc.array(fc.integer(), { maxLength: 8 }),
    int64Contents: fc.array(int64, { maxLength: 8 }),
    uintContents: fc.array(fc.nat(), { maxLength: 8 }),
    uint64Contents: fc.array(uint64, { maxLength: 8 }),
    fp32Contents: fc.array(fc.float(), { maxLength: 64 }),
    fp64Contents: fc.array(double, { maxLength: 8 }),
    bytesContents: fc.array(fc.uint8Array({ maxLength: 16 }).map(Buffer.from), { maxLength: 4 }),
  },
  { requiredKeys: [] },
);

const featureRequests: Record<string, fc.Arbitrary<unknown>> = {
  GetFeatureVectors: fc.record({
    featureSet: name('credit_risk'),
    entities: fc.array(fc.record({ keys: valueMap, context: valueMap }), { maxLength: 5 }),
    context: valueMap,
    storeErrorPolicy: fc.constantFrom(0, 1, 2, 3, 99),
  }),
  WriteFeatureRows: fc.record({
    featureView: name('applicant_profile'),
    rows: fc.array(
      fc.record({
        keys: valueMap,
        values: valueMap,
        eventTimeUnixMs: fc.oneof(int64, fc.constant(String(Date.now()))),
      }),
      { maxLength: 5 },
    ),
  }),
  WriteEvents: fc.record({
    source: name('purchase_attempts'),
    events: fc.array(
      fc.record({
        eventId: text,
        eventTimeUnixMs: fc.oneof(int64, fc.constant(String(Date.now()))),
        keys: valueMap,
        fields: valueMap,
      }),
      { maxLength: 5 },
    ),
  }),
  ListFeatureSets: fc.constant({}),
  DescribeFeatureSet: fc.record({ name: name('credit_risk') }),
};

const scoringRequests: Record<string, fc.Arbitrary<unknown>> = {
  Score: fc.record({
    model: name('credit_risk'),
    version,
    entityKeys: valueMap,
    context: valueMap,
    requestId: fc.string({ maxLength: 300 }),
    priority: uint32,
    queueTimeoutUs: uint64,
    includeFeatures: fc.boolean(),
  }),
  ScoreBatch: fc.record({
    model: name('credit_risk'),
    version,
    items: fc.array(
      fc.record({ entityKeys: valueMap, context: valueMap, requestId: fc.string({ maxLength: 30 }) }),
      { maxLength: 6 },
    ),
    priority: uint32,
    queueTimeoutUs: uint64,
  }),
  ListModels: fc.constant({}),
  // Any name but the served model's: unloading it would leave nothing to score for the rest of the run.
  LoadModel: fc.record({ name: text.filter((n) => n !== 'credit_risk'), version }),
  UnloadModel: fc.record({ name: text.filter((n) => n !== 'credit_risk'), version }),
};

const inferenceRequests: Record<string, fc.Arbitrary<unknown>> = {
  ServerLive: fc.constant({}),
  ServerReady: fc.constant({}),
  ModelReady: fc.record({ name: name('credit_risk'), version }),
  ServerMetadata: fc.constant({}),
  ModelMetadata: fc.record({ name: name('credit_risk'), version }),
  ModelInfer: fc.record({
    modelName: name('credit_risk'),
    modelVersion: version,
    id: fc.string({ maxLength: 40 }),
    parameters: inferParameters,
    inputs: fc.array(
      fc.record({
        name: name('features', 'input'),
        datatype: name('FP32', 'FP64', 'INT64', 'INT32', 'BOOL', 'BYTES', 'UINT8'),
        shape: fc.array(fc.oneof(fc.constantFrom('1', '29', '0', '-1', '2'), int64), { maxLength: 4 }),
        parameters: inferParameters,
        contents: tensorContents,
      }),
      { maxLength: 3 },
    ),
    outputs: fc.array(fc.record({ name: name('probabilities', 'label'), parameters: inferParameters }), {
      maxLength: 2,
    }),
    rawInputContents: fc.array(fc.uint8Array({ maxLength: 256 }).map(Buffer.from), { maxLength: 2 }),
  }),
};

/** Valid bytes of a random request, then mutated: bytes flipped, cut, inserted, or all random. */
function mutatedBytes(definition: Definition, method: string, requests: fc.Arbitrary<unknown>) {
  const spec = definition[method]!;
  return fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map(Buffer.from),
    fc
      .tuple(
        requests,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
      )
      .map(([request, flips, cut, truncate]) => {
        const bytes = Buffer.from(spec.requestSerialize(request));
        for (const [at, byte] of flips) if (bytes.length > 0) bytes[at % bytes.length] = byte;
        return truncate && bytes.length > 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
      }),
  );
}

const targets: Array<{
  service: string;
  address: () => string;
  definition: Definition;
  requests: Record<string, fc.Arbitrary<unknown>>;
}> = [
  {
    service: 'feature-service',
    address: () => featureService.address,
    definition: featureServiceDefinition() as unknown as Definition,
    requests: featureRequests,
  },
  {
    service: 'model-server scoring',
    address: () => modelServer.address,
    definition: scoringServiceDefinition() as unknown as Definition,
    requests: scoringRequests,
  },
  {
    service: 'model-server inference',
    address: () => modelServer.address,
    definition: inferenceServiceDefinition() as unknown as Definition,
    requests: inferenceRequests,
  },
];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-fuzz-'));
  featureService = await startFeatureService({ STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` });
  modelServer = await startModelServer(featureService.address);
}, 120_000);

afterAll(async () => {
  for (const client of clients.values()) client.close();
  await modelServer?.process.stop();
  await featureService?.process.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

it('every RPC of the contracts is fuzzed', () => {
  expect(Object.keys(featureRequests).sort()).toEqual(Object.keys(featureServiceDefinition()).sort());
  expect(Object.keys(scoringRequests).sort()).toEqual(Object.keys(scoringServiceDefinition()).sort());
  expect(Object.keys(inferenceRequests).sort()).toEqual(Object.keys(inferenceServiceDefinition()).sort());
});

describe.each(targets)('$service', ({ service, address, definition, requests }) => {
  const methods = Object.keys(requests);

  it.each(methods)(
    '%s: random requests get a proper status, never INTERNAL or UNKNOWN',
    async (method) => {
      const bad: Call[] = [];
      await fc.assert(
        fc.asyncProperty(requests[method]!, async (request) => {
          const { code, details } = await send(address(), definition, method, request);
          if (FORBIDDEN.has(code)) {
            bad.push({ service, method, code, details, request: JSON.stringify(request).slice(0, 500) });
            return false;
          }
          return true;
        }),
        { numRuns: RUNS },
      );
      expect(bad).toEqual([]);
    },
    300_000,
  );

  it.each(methods)(
    '%s: mutated and random bytes get a proper status',
    async (method) => {
      const bad: Call[] = [];
      await fc.assert(
        fc.asyncProperty(mutatedBytes(definition, method, requests[method]!), async (bytes) => {
          const { code, details } = await send(address(), definition, method, bytes);
          if (FORBIDDEN.has(code)) {
            bad.push({ service, method, code, details, request: bytes.toString('hex').slice(0, 500) });
            return false;
          }
          return true;
        }),
        { numRuns: RUNS },
      );
      expect(bad).toEqual([]);
    },
    300_000,
  );
});

it('both processes are still up and healthy after the fuzzing', async () => {
  expect(featureService.process.hasExited).toBe(false);
  expect(modelServer.process.hasExited).toBe(false);
  expect(await checkHealth(featureService.address)).toBe('SERVING');
  expect(await checkHealth(modelServer.address, 'liveness')).toBe('SERVING');
});
