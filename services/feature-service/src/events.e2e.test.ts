import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { common, feature } from '@tally/contracts';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { createTestDatabase, featureClient, mysqlAvailable } from './testing';
import type { FeatureClient, TestDatabase } from './testing';

const SCRIPT = path.join(repoRoot(), 'services/feature-service/dist/main.js');
const REGISTRY = path.join(repoRoot(), 'features/test/events-registry');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const int = (n: number): common.Value => ({ int64Value: n });
const dbl = (n: number): common.Value => ({ doubleValue: n });
const str = (s: string): common.Value => ({ stringValue: s });

function purchase(id: string, applicant: number, eventTimeMs: number, amount: number, decision = 'approved') {
  return {
    eventId: id,
    eventTimeUnixMs: eventTimeMs,
    keys: { applicant_id: int(applicant) },
    fields: { amount: dbl(amount), decision: str(decision) },
  };
}

async function grpcError(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
}

function column(response: feature.GetFeatureVectorsResponse__Output, entity: number, name: string) {
  const i = response.columns.indexOf(name);
  const vector = response.vectors[entity]!;
  return {
    value: vector.values[i],
    status: vector.statuses[i],
    eventTime: Number(vector.eventTimesUnixMs[i]),
  };
}

const vectors = (client: FeatureClient, ids: number[]) =>
  client.getVectors({
    featureSet: 'events_test',
    entities: ids.map((id) => ({ keys: { applicant_id: int(id) } })),
  });

async function start(storeUrl: string, extra: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({
    script: SCRIPT,
    env: { REGISTRY_PATH: REGISTRY, STORE_URL: storeUrl, GRPC_PORT: '0', METRICS_PORT: '0', ...extra },
  });
}

describe('WriteEvents and aggregations over gRPC (sqlite)', () => {
  let service: ServiceProcess;
  let client: FeatureClient;
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-events-e2e-'));
    service = await start(`sqlite:${path.join(tmp, 'store.sqlite')}`, { MAX_EVENTS_PER_WRITE: '20' });
    client = featureClient(service.address);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('DescribeFeatureSet shows each aggregation with its source, function, window, tile and filter', async () => {
    const { featureSet } = await client.describe('events_test');
    expect(featureSet!.eventSources).toEqual(['test_purchases']);
    const spec = (name: string) => featureSet!.features.find((f) => f.name === name)!;
    expect(spec('declined_amount_sum_24h')).toMatchObject({
      source: 'FEATURE_SOURCE_AGGREGATION',
      eventSource: 'test_purchases',
      aggregation: 'sum',
      field: 'amount',
      windowMs: 24 * HOUR,
      tileMs: 15 * MINUTE,
      filter: 'decision == declined',
      type: 'VALUE_TYPE_FLOAT',
      columns: ['declined_amount_sum_24h'],
    });
    expect(spec('purchase_count_1h')).toMatchObject({
      aggregation: 'count',
      field: '',
      type: 'VALUE_TYPE_INT',
    });
    expect(spec('quantity_last_7d')).toMatchObject({
      type: 'VALUE_TYPE_INT',
      defaultValue: { int64Value: 0 },
    });
  });

  it('an acknowledged event is in the next vector: values, statuses and event times', async () => {
    const now = Date.now();
    const written = await client.writeEvents({
      source: 'test_purchases',
      events: [
        purchase('a', 7, now - 10 * MINUTE, 12.5),
        purchase('b', 7, now - 2 * HOUR, 30, 'declined'),
        purchase('a', 7, now - 10 * MINUTE, 12.5), // repeated in the batch
      ],
    });
    expect(written).toEqual({ eventsWritten: 2, eventsDuplicate: 1 });
    const response = await vectors(client, [7, 8]);
    expect(column(response, 0, 'purchase_count_1h')).toEqual({
      value: 1,
      status: 'FEATURE_STATUS_PRESENT',
      eventTime: now - 10 * MINUTE,
    });
    expect(column(response, 0, 'purchase_count_24h').value).toBe(2);
    expect(column(response, 0, 'amount_sum_30d').value).toBe(42.5); // 12.5 + 30
    expect(column(response, 0, 'declined_count_30d')).toEqual({
      value: 1,
      status: 'FEATURE_STATUS_PRESENT',
      eventTime: now - 2 * HOUR,
    });
    expect(column(response, 0, 'amount_per_purchase_30d').value).toBe(21.25); // 42.5 / 2
    expect(column(response, 1, 'purchase_count_1h')).toEqual({
      value: 0,
      status: 'FEATURE_STATUS_PRESENT',
      eventTime: 0,
    });
    expect(column(response, 1, 'amount_max_30d')).toEqual({
      value: 0,
      status: 'FEATURE_STATUS_MISSING_DEFAULTED',
      eventTime: 0,
    });
    // A retry of the whole batch changes nothing.
    expect(
      await client.writeEvents({
        source: 'test_purchases',
        events: [purchase('b', 7, now - 2 * HOUR, 30, 'declined')],
      }),
    ).toEqual({ eventsWritten: 0, eventsDuplicate: 1 });
    expect(column(await vectors(client, [7]), 0, 'purchase_count_24h').value).toBe(2);
  });

  it('bad input: INVALID_ARGUMENT naming the event and field; nothing written', async () => {
    const now = Date.now();
    const ok = purchase('ok', 9, now - MINUTE, 1);
    const cases: Array<[feature.WriteEventsRequest, RegExp]> = [
      [
        { source: 'nope', events: [ok] },
        /^source: unknown event source 'nope' \(known: merchant_events, test_purchases\)/,
      ],
      [
        { source: 'test_purchases', events: [ok, { ...ok, eventId: '' }] },
        /^events\[1\]\.event_id: required/,
      ],
      [
        { source: 'test_purchases', events: [ok, { ...ok, eventId: 'n', fields: { amount: dbl(NaN) } }] },
        /^events\[1\]\.fields\.amount: NaN/,
      ],
      [
        { source: 'test_purchases', events: [ok, { ...ok, eventId: 'f', eventTimeUnixMs: now + HOUR }] },
        /^events\[1\]\.event_time_unix_ms: .* ahead of the service clock/,
      ],
      [
        { source: 'test_purchases', events: [ok, { ...ok, eventId: 'k', keys: {} }] },
        /^events\[1\]\.keys\.applicant_id: required/,
      ],
      [
        {
          source: 'test_purchases',
          events: Array.from({ length: 21 }, (_, i) => ({ ...ok, eventId: `m${i}` })),
        },
        /^events: 21 events exceed the limit of 20/,
      ],
    ];
    for (const [request, message] of cases) {
      const err = await grpcError(client.writeEvents(request));
      expect({ code: err.code, details: err.details }).toEqual({
        code: status.INVALID_ARGUMENT,
        details: expect.stringMatching(message),
      });
    }
    expect(column(await vectors(client, [9]), 0, 'purchase_count_1h').value).toBe(0);
  });
});

/**
 * Two real feature-service processes on one MySQL database, four concurrent writers on each, all
 * writing the same entities with every event sent twice (once through each replica, in different
 * batches and orders). Every event must be counted exactly once, and both replicas must serve the
 * exact totals right after the last acknowledgement.
 */
(mysqlAvailable() ? describe : describe.skip)('two replicas, concurrent writers, one MySQL', () => {
  let database: TestDatabase;
  let replicas: ServiceProcess[] = [];
  let clients: FeatureClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    // Sequential starts: the first migrates, the second finds the schema in place.
    replicas = [
      await start(database.url, { STORE_POOL_SIZE: '6' }),
      await start(database.url, { STORE_POOL_SIZE: '6' }),
    ];
    clients = replicas.map((r) => featureClient(r.address));
  }, 60000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await database?.drop();
  });

  it('loses and doubles nothing: every event counted once, sums exact on both replicas', async () => {
    const now = Date.now();
    const ENTITIES = 8;
    const EVENTS = 1200;
    // Deterministic pseudo-random history: integer amounts, so sums are exact in any order.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const events = Array.from({ length: EVENTS }, (_, i) =>
      purchase(
        `c${i}`,
        1000 + (i % ENTITIES),
        now - Math.floor(random() * 20 * HOUR),
        1 + Math.floor(random() * 100),
        random() < 0.3 ? 'declined' : 'approved',
      ),
    );
    const shuffle = <T>(items: T[]): T[] => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    };
    // Each replica gets every event once, in its own order, split over 4 concurrent writers sending
    // batches of 1–40 events; so every id is written concurrently by the two replicas.
    let written = 0;
    let duplicates = 0;
    const writers = clients.flatMap((client) => {
      const order = shuffle(events);
      return [0, 1, 2, 3].map(async (w) => {
        const mine = order.filter((_, i) => i % 4 === w);
        for (let i = 0; i < mine.length;) {
          const size = 1 + Math.floor(random() * 40);
          const result = await client.writeEvents(
            { source: 'test_purchases', events: mine.slice(i, i + size) },
            20000,
          );
          written += result.eventsWritten;
          duplicates += result.eventsDuplicate;
          i += size;
        }
      });
    });
    await Promise.all(writers);
    expect({ written, duplicates }).toEqual({ written: EVENTS, duplicates: EVENTS });

    const ids = Array.from({ length: ENTITIES }, (_, i) => 1000 + i);
    for (const client of clients) {
      const response = await vectors(client, ids);
      ids.forEach((id, e) => {
        const own = events.filter((x) => x.keys.applicant_id.int64Value === id);
        const sum = own.reduce((s, x) => s + Number(x.fields.amount.doubleValue), 0);
        const declined = own.filter((x) => x.fields.decision.stringValue === 'declined').length;
        expect({
          id,
          count: column(response, e, 'purchase_count_24h').value,
          sum: column(response, e, 'amount_sum_30d').value,
          declined: column(response, e, 'declined_count_30d').value,
        }).toEqual({
          id,
          count: own.length,
          sum: Math.fround(sum),
          declined,
        });
      });
    }
  }, 120000);
});
