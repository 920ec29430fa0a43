import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decisionRecord } from './decision-record';
import type { DecisionRecord, DecisionRole } from './decision-record';
import { DecisionStore } from './decision-store';

let dir: string;
let store: DecisionStore;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-decision-store-'));
  store = new DecisionStore({ dialect: 'sqlite', file: path.join(dir, 'decisions.sqlite') });
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function record(
  requestId: string,
  applicant: number,
  at: number,
  role: DecisionRole = 'served',
): DecisionRecord {
  return decisionRecord(
    {
      role,
      caller: '',
      traceId: 'abc',
      entityKeys: { applicant_id: { kind: 'int64Value', int64Value: applicant } },
      context: { amount: { kind: 'doubleValue', doubleValue: 5000 } },
      columns: ['a', 'b'],
      vector: {
        values: [1, 2],
        statuses: ['FEATURE_STATUS_PRESENT', 'FEATURE_STATUS_MISSING_DEFAULTED'],
        eventTimesUnixMs: [1700000000000, 0],
      },
      values: new Float32Array([1, 2]),
      response: {
        score: role === 'served' ? 0.25 : 0.3,
        model: 'credit_risk',
        version: role === 'served' ? '2' : '1',
        requestId,
        featureSet: 'credit_risk',
        featureSetFingerprint: 'ff00',
        timing: { featuresUs: 1, queueUs: 2, computeUs: 3, totalUs: 6 },
      },
    },
    at,
  );
}

describe('DecisionStore (SQLite)', () => {
  it('stores each (request id, role) once however often it is inserted', async () => {
    const records = [record('r1', 17, 1000), record('r1', 17, 1000, 'shadow'), record('r2', 17, 2000)];
    await store.insert(records);
    await store.insert(records);
    await store.insert([records[0]!]);
    expect(await store.count()).toBe(3);
    const got = await store.get('r1');
    expect(got.map((r) => r.role)).toEqual(['served', 'shadow']);
    expect(got[0]).toEqual(records[0]);
    expect(got[0]!.eventTimesMs).toEqual([1700000000000, 0]);
    expect(got[0]!.response.timing).toEqual({ featuresUs: 1, queueUs: 2, computeUs: 3, totalUs: 6 });
    expect(await store.get('nope')).toEqual([]);
  });

  it('lists an entity in a time range [since, until), oldest first', async () => {
    await store.insert([record('r3', 18, 1500), record('r4', 17, 3000)]);
    const listed = await store.list('applicant_id=17', 1000, 3000, 100);
    expect(listed.map((r) => `${r.requestId}/${r.role}`)).toEqual(['r1/served', 'r1/shadow', 'r2/served']);
    expect((await store.list('applicant_id=17', 0, 10000, 2)).length).toBe(2);
    expect(await store.list('applicant_id=18', 0, 10000, 100)).toHaveLength(1);
  });

  it('reads the served scores of one model version', async () => {
    expect(await store.scores('credit_risk', '2', 0, 10000, 100)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(await store.scores('credit_risk', '1', 0, 10000, 100)).toEqual([]);
  });
});
