import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { common } from '@tally/contracts';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { createTestDatabase, featureClient, mysqlAvailable } from './testing';
import type { FeatureClient, TestDatabase } from './testing';

const SCRIPT = path.join(repoRoot(), 'services/feature-service/dist/main.js');
const REGISTRY = path.join(repoRoot(), 'features/test/registry');
const DAY = 86_400_000;

const int = (n: number): common.Value => ({ int64Value: n });
const dbl = (n: number): common.Value => ({ doubleValue: n });
const str = (s: string): common.Value => ({ stringValue: s });
const bool = (b: boolean): common.Value => ({ boolValue: b });

/** Runs `call` and returns its gRPC error (fails the test if it succeeds). */
async function grpcError(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
}

const runMysql = mysqlAvailable();

describe.each([
  ['sqlite', true],
  ['mysql', runMysql],
] as const)('feature-service over gRPC (%s)', (dialect, enabled) => {
  const maybe = enabled ? it : it.skip;
  let service: ServiceProcess;
  let client: FeatureClient;
  let database: TestDatabase | undefined;
  let tmp: string;
  const now = Date.now();

  beforeAll(async () => {
    if (!enabled) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-fs-e2e-'));
    if (dialect === 'mysql') database = await createTestDatabase();
    service = await startService({
      script: SCRIPT,
      env: {
        REGISTRY_PATH: REGISTRY,
        STORE_URL: database?.url ?? `sqlite:${path.join(tmp, 'store.sqlite')}`,
        GRPC_PORT: '0',
        METRICS_PORT: '0',
        MAX_ENTITIES_PER_REQUEST: '5',
        MAX_ROWS_PER_WRITE: '50',
      },
    });
    client = featureClient(service.address);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await database?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  maybe('lists and describes feature sets with columns, defaults and encodings', async () => {
    const list = await client.list();
    expect(list.featureSets.map((s) => s.name)).toEqual(['credit_test', 'profile_only']);
    const { featureSet } = await client.describe('credit_test');
    expect(featureSet!.columns).toHaveLength(list.featureSets[0]!.width);
    expect(featureSet!.columns.slice(0, 7)).toEqual([
      'annual_inc',
      'open_accounts',
      'has_mortgage',
      'grade=A',
      'grade=B',
      'grade=C',
      'home',
    ]);
    expect(featureSet!.fingerprint).toBe(list.featureSets[0]!.fingerprint);
    expect(featureSet!.entityKeys.map((k) => [k.name, k.type])).toEqual([
      ['applicant_id', 'VALUE_TYPE_INT'],
      ['merchant_id', 'VALUE_TYPE_STRING'],
    ]);
    const grade = featureSet!.features.find((f) => f.name === 'grade')!;
    expect(grade.encoding).toBe('CATEGORICAL_ENCODING_ONE_HOT');
    expect(grade.columns).toEqual(['grade=A', 'grade=B', 'grade=C']);
    expect(grade.defaultValue).toMatchObject({ stringValue: 'C' });
    expect(grade.maxAgeMs).toBe(30 * DAY);
    const amount = featureSet!.contextFields.find((c) => c.name === 'amount')!;
    expect(amount.required).toBe(true);
    expect(featureSet!.features.find((f) => f.name === 'loan_to_income')!.source).toBe(
      'FEATURE_SOURCE_ON_DEMAND',
    );
  });

  maybe('writes rows, then serves complete vectors with statuses and event times', async () => {
    const written = await client.write({
      featureView: 'applicant_profile',
      rows: [
        {
          keys: { applicant_id: int(1) },
          values: {
            annual_inc: dbl(60000),
            open_accounts: int(3),
            has_mortgage: bool(true),
            grade: str('B'),
            home: str('OWN'),
          },
          eventTimeUnixMs: now - DAY,
        },
        { keys: { applicant_id: int(2) }, values: { annual_inc: dbl(10) }, eventTimeUnixMs: now - 40 * DAY },
      ],
    });
    expect(written).toEqual({ rowsWritten: 2, rowsIgnoredOlder: 0 });
    await client.write({
      featureView: 'applicant_activity',
      rows: [
        {
          keys: { applicant_id: int(2) },
          values: { purchases_30d: int(7) },
          eventTimeUnixMs: now - 2 * 3_600_000,
        },
      ],
    });
    await client.write({
      featureView: 'merchant_risk',
      rows: [
        {
          keys: { merchant_id: str('shop-1') },
          values: { chargeback_rate: dbl(0.02) },
          eventTimeUnixMs: now - DAY,
        },
      ],
    });

    const res = await client.getVectors({
      featureSet: 'credit_test',
      context: { amount: dbl(1200) },
      entities: [
        { keys: { applicant_id: int(1), merchant_id: str('shop-1') }, context: { channel: str('app') } },
        { keys: { applicant_id: int(2), merchant_id: str('shop-9') } },
        { keys: { applicant_id: int(3), merchant_id: str('shop-1') }, context: { amount: dbl(0) } },
      ],
    });
    const { featureSet } = await client.describe('credit_test');
    expect(res.columns).toEqual(featureSet!.columns);
    expect(res.featureSetFingerprint).toBe(featureSet!.fingerprint);
    const at = (v: number, column: string) => {
      const i = res.columns.indexOf(column);
      const vector = res.vectors[v]!;
      return { value: vector.values[i], status: vector.statuses[i], time: vector.eventTimesUnixMs[i] };
    };
    for (const vector of res.vectors) {
      expect(vector.values).toHaveLength(res.columns.length);
      expect(vector.statuses).toHaveLength(res.columns.length);
      expect(vector.eventTimesUnixMs).toHaveLength(res.columns.length);
    }
    // Entity 1: every stored value present, context overridden per entity, on-demand from present inputs.
    expect(at(0, 'annual_inc')).toEqual({ value: 60000, status: 'FEATURE_STATUS_PRESENT', time: now - DAY });
    expect(at(0, 'grade=B').value).toBe(1);
    expect(at(0, 'grade=A').value).toBe(0);
    expect(at(0, 'home')).toMatchObject({ value: 1, status: 'FEATURE_STATUS_PRESENT' });
    expect(at(0, 'has_mortgage').value).toBe(1);
    expect(at(0, 'channel=app')).toMatchObject({ value: 1, status: 'FEATURE_STATUS_PRESENT', time: 0 });
    expect(at(0, 'term_months')).toMatchObject({ value: 12, status: 'FEATURE_STATUS_MISSING_DEFAULTED' });
    expect(at(0, 'purchases_30d')).toMatchObject({
      value: 0,
      status: 'FEATURE_STATUS_MISSING_DEFAULTED',
      time: 0,
    });
    expect(at(0, 'chargeback_rate').value).toBeCloseTo(0.02, 6);
    expect(at(0, 'loan_to_income')).toMatchObject({ status: 'FEATURE_STATUS_PRESENT' });
    expect(at(0, 'loan_to_income').value).toBeCloseTo(1200 / 60000, 6);
    // Entity 2: profile older than 30 days → default; activity older than 1 h is kept (policy keep).
    expect(at(1, 'annual_inc')).toEqual({ value: 0, status: 'FEATURE_STATUS_STALE_DEFAULTED', time: 0 });
    expect(at(1, 'purchases_30d')).toEqual({
      value: 7,
      status: 'FEATURE_STATUS_STALE_KEPT',
      time: now - 2 * 3_600_000,
    });
    expect(at(1, 'chargeback_rate')).toMatchObject({ status: 'FEATURE_STATUS_MISSING_DEFAULTED' });
    expect(at(1, 'chargeback_rate').value).toBeCloseTo(0.01, 6);
    // grade was written as absent: a null stored value is missing, whatever its age.
    expect(at(1, 'grade=C')).toMatchObject({ value: 1, status: 'FEATURE_STATUS_MISSING_DEFAULTED' });
    expect(at(1, 'loan_to_income')).toMatchObject({
      value: 1200,
      status: 'FEATURE_STATUS_DERIVED_FROM_DEFAULT',
    });
    // Entity 3: no rows; log(0) is not finite → the on-demand default.
    expect(at(2, 'annual_inc').status).toBe('FEATURE_STATUS_MISSING_DEFAULTED');
    expect(at(2, 'log_amount')).toMatchObject({ value: -1, status: 'FEATURE_STATUS_DERIVED_FROM_DEFAULT' });
    expect(at(2, 'amount')).toMatchObject({ value: 0, status: 'FEATURE_STATUS_PRESENT' });
  });

  maybe(
    'newest event wins over gRPC too, and a local write is visible at once (cache invalidated)',
    async () => {
      const read = async () =>
        (
          await client.getVectors({
            featureSet: 'profile_only',
            entities: [{ keys: { applicant_id: int(40) } }],
          })
        ).vectors[0]!.values[0];
      await client.write({
        featureView: 'applicant_profile',
        rows: [
          { keys: { applicant_id: int(40) }, values: { annual_inc: dbl(100) }, eventTimeUnixMs: now - 1000 },
        ],
      });
      expect(await read()).toBe(100); // now cached
      const older = await client.write({
        featureView: 'applicant_profile',
        rows: [
          { keys: { applicant_id: int(40) }, values: { annual_inc: dbl(50) }, eventTimeUnixMs: now - 5000 },
        ],
      });
      expect(older).toEqual({ rowsWritten: 0, rowsIgnoredOlder: 1 });
      expect(await read()).toBe(100);
      await client.write({
        featureView: 'applicant_profile',
        rows: [{ keys: { applicant_id: int(40) }, values: { annual_inc: dbl(200) }, eventTimeUnixMs: now }],
      });
      expect(await read()).toBe(200);
    },
  );

  const okEntity = { keys: { applicant_id: int(1), merchant_id: str('m') } };
  const badReads: Array<[string, Record<string, unknown>, number, RegExp]> = [
    [
      'unknown feature set',
      { featureSet: 'nope', entities: [okEntity], context: { amount: dbl(1) } },
      status.NOT_FOUND,
      /feature set not found: 'nope'/,
    ],
    [
      'empty feature set name',
      { featureSet: '', entities: [okEntity] },
      status.INVALID_ARGUMENT,
      /^feature_set: required/,
    ],
    [
      'no entities',
      { featureSet: 'credit_test', entities: [], context: { amount: dbl(1) } },
      status.INVALID_ARGUMENT,
      /^entities: at least one/,
    ],
    [
      'too many entities',
      { featureSet: 'credit_test', entities: Array(6).fill(okEntity), context: { amount: dbl(1) } },
      status.INVALID_ARGUMENT,
      /^entities: 6 entities exceed the limit of 5/,
    ],
    [
      'missing entity key',
      {
        featureSet: 'credit_test',
        entities: [{ keys: { applicant_id: int(1) } }],
        context: { amount: dbl(1) },
      },
      status.INVALID_ARGUMENT,
      /^entities\[0\]\.keys\.merchant_id: required/,
    ],
    [
      'mistyped entity key',
      {
        featureSet: 'credit_test',
        entities: [{ keys: { applicant_id: str('1'), merchant_id: str('m') } }],
        context: { amount: dbl(1) },
      },
      status.INVALID_ARGUMENT,
      /^entities\[0\]\.keys\.applicant_id: expected an int64/,
    ],
    [
      'unknown entity key',
      {
        featureSet: 'credit_test',
        entities: [{ keys: { ...okEntity.keys, shop: int(1) } }],
        context: { amount: dbl(1) },
      },
      status.INVALID_ARGUMENT,
      /^entities\[0\]\.keys\.shop: not a join key/,
    ],
    [
      'unknown context field',
      { featureSet: 'credit_test', entities: [okEntity], context: { amount: dbl(1), tip: dbl(2) } },
      status.INVALID_ARGUMENT,
      /^context\.tip: not a context field/,
    ],
    [
      'unknown per-entity context field',
      {
        featureSet: 'credit_test',
        entities: [{ ...okEntity, context: { tip: dbl(2) } }],
        context: { amount: dbl(1) },
      },
      status.INVALID_ARGUMENT,
      /^entities\[0\]\.context\.tip: not a context field/,
    ],
    [
      'mistyped context field',
      { featureSet: 'credit_test', entities: [okEntity], context: { amount: str('many') } },
      status.INVALID_ARGUMENT,
      /^context\.amount: expected a double/,
    ],
    [
      'NaN context value',
      { featureSet: 'credit_test', entities: [okEntity], context: { amount: dbl(NaN) } },
      status.INVALID_ARGUMENT,
      /^context\.amount: NaN/,
    ],
    [
      'a context value beyond float32',
      { featureSet: 'credit_test', entities: [okEntity], context: { amount: dbl(1e300) } },
      status.INVALID_ARGUMENT,
      /^context\.amount: 1e\+300 is beyond float32's range/,
    ],
    [
      'undeclared level',
      { featureSet: 'credit_test', entities: [okEntity], context: { amount: dbl(1), channel: str('fax') } },
      status.INVALID_ARGUMENT,
      /^context\.channel: 'fax' is not a declared level/,
    ],
    [
      'missing required context',
      { featureSet: 'credit_test', entities: [okEntity] },
      status.INVALID_ARGUMENT,
      /^context\.amount: required/,
    ],
  ];
  maybe.each(badReads)(
    'GetFeatureVectors with %s → the right status naming the field',
    async (_name, req, code, message) => {
      const err = await grpcError(client.getVectors(req));
      expect({ code: err.code, details: err.details }).toEqual({
        code,
        details: expect.stringMatching(message),
      });
    },
  );

  const row = { keys: { applicant_id: int(77) }, values: { annual_inc: dbl(1) }, eventTimeUnixMs: 1000 };
  const badWrites: Array<[string, Record<string, unknown>, number, RegExp]> = [
    [
      'unknown view',
      { featureView: 'nope', rows: [row] },
      status.NOT_FOUND,
      /feature view not found: 'nope'/,
    ],
    [
      'no rows',
      { featureView: 'applicant_profile', rows: [] },
      status.INVALID_ARGUMENT,
      /^rows: at least one/,
    ],
    [
      'too many rows',
      { featureView: 'applicant_profile', rows: Array(51).fill(row) },
      status.INVALID_ARGUMENT,
      /^rows: 51 rows exceed/,
    ],
    [
      'a wrong type',
      { featureView: 'applicant_profile', rows: [row, { ...row, values: { open_accounts: dbl(1.5) } }] },
      status.INVALID_ARGUMENT,
      /^rows\[1\]\.values\.open_accounts: expected an integer/,
    ],
    [
      'an unknown feature',
      { featureView: 'applicant_profile', rows: [row, { ...row, values: { salary: dbl(1) } }] },
      status.INVALID_ARGUMENT,
      /^rows\[1\]\.values\.salary: not a feature/,
    ],
    [
      'an undeclared level',
      { featureView: 'applicant_profile', rows: [{ ...row, values: { grade: str('Z') } }] },
      status.INVALID_ARGUMENT,
      /^rows\[0\]\.values\.grade: 'Z' is not a declared level/,
    ],
    [
      'no event time',
      { featureView: 'applicant_profile', rows: [row, { ...row, eventTimeUnixMs: 0 }] },
      status.INVALID_ARGUMENT,
      /^rows\[1\]\.event_time_unix_ms: required/,
    ],
    [
      'a missing key',
      { featureView: 'applicant_profile', rows: [row, { ...row, keys: {} }] },
      status.INVALID_ARGUMENT,
      /^rows\[1\]\.keys\.applicant_id: required/,
    ],
    [
      'an infinite value',
      { featureView: 'applicant_profile', rows: [row, { ...row, values: { annual_inc: dbl(Infinity) } }] },
      status.INVALID_ARGUMENT,
      /^rows\[1\]\.values\.annual_inc: NaN and infinities/,
    ],
    [
      'a value beyond float32',
      { featureView: 'applicant_profile', rows: [row, { ...row, values: { annual_inc: dbl(-3.5e38) } }] },
      status.INVALID_ARGUMENT,
      /^rows\[1\]\.values\.annual_inc: -3\.5e\+38 is beyond float32's range/,
    ],
  ];
  maybe.each(badWrites)(
    'WriteFeatureRows with %s → the right status, and nothing is stored',
    async (_name, req, code, message) => {
      const err = await grpcError(client.write(req));
      expect({ code: err.code, details: err.details }).toEqual({
        code,
        details: expect.stringMatching(message),
      });
      const res = await client.getVectors({
        featureSet: 'profile_only',
        entities: [{ keys: { applicant_id: int(77) } }],
      });
      expect(res.vectors[0]!.statuses[0]).toBe('FEATURE_STATUS_MISSING_DEFAULTED');
    },
  );

  maybe('DescribeFeatureSet of an unknown set is NOT_FOUND naming it', async () => {
    const err = await grpcError(client.describe('missing_set'));
    expect(err.code).toBe(status.NOT_FOUND);
    expect(err.details).toContain("'missing_set'");
  });

  maybe('the process survived every bad input', () => {
    expect(service.hasExited).toBe(false);
  });
});

describe('start-up with a bad registry', () => {
  it('stops with a message naming the file and field', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bad-registry-'));
    try {
      fs.writeFileSync(
        path.join(tmp, 'bad.yaml'),
        'entities:\n  - name: applicant\n    join_key: applicant_id\n    type: uuid\n',
      );
      await expect(
        startService({
          script: SCRIPT,
          env: {
            REGISTRY_PATH: tmp,
            STORE_URL: `sqlite:${path.join(tmp, 's.sqlite')}`,
            GRPC_PORT: '0',
            METRICS_PORT: '0',
          },
          startTimeoutMs: 10000,
        }),
      ).rejects.toThrow(/bad\.yaml: entities\[0\]\.type: expected one of int, string/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
