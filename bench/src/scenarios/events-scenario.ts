import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createFeatureServiceClient } from '@tally/contracts';
import type { feature } from '@tally/contracts';
import { NatsTestServer, freePort } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import mysql from 'mysql2/promise';
import { createBenchDatabase } from '../fixtures/feature-store';
import type { BenchDatabase } from '../fixtures/feature-store';
import type { FeatureVectorsTarget, KeyPlan, WireValues } from '../load/load-spec';
import { runLoad } from '../load/run-load';
import type { Measurement } from '../measurement';
import { startTallyService, stopAll } from '../servers/start-servers';
import { summarizeLatencies } from '../stats/latency-summary';
import { closed, loadRun, pidsOf } from './load-helpers';
import type { BenchContext, Scenario } from './scenario';

const SOURCE = 'purchase_attempts';
const BATCH = 500;
const DAY_MS = 86_400_000;
/** Light entities: 10 events each; the heavy entity (key 1) holds `heavyEvents`. */
const LIGHT: KeyPlan = { first: 1001, count: 100 };
const HEAVY: KeyPlan = { first: 1, count: 100 };

function counts(context: BenchContext): { ingestEvents: number; heavyEvents: number } {
  return context.profile.quick
    ? { ingestEvents: 4_000, heavyEvents: 2_000 }
    : { ingestEvents: 100_000, heavyEvents: 100_000 };
}

interface PlainEvent {
  id: string;
  time: number;
  applicant: number;
  amount: number;
  merchant: string;
  decision: string;
}

/** `n` events spread over the last 29 days, keys from `keyOf(i)`; deterministic from the index. */
function makeEvents(prefix: string, n: number, keyOf: (i: number) => number, now: number): PlainEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    time: now - 60_000 - Math.floor(((i * 7919) % n) * ((29 * DAY_MS) / n)),
    applicant: keyOf(i),
    amount: 5 + ((i * 37) % 500) + 0.25,
    merchant: `m${(i % 40) + 1}`,
    decision: i % 8 === 0 ? 'declined' : 'approved',
  }));
}

const wire = (e: PlainEvent): feature.Event => ({
  eventId: e.id,
  eventTimeUnixMs: e.time,
  keys: { applicant_id: { int64Value: e.applicant } },
  fields: {
    amount: { doubleValue: e.amount },
    merchant_id: { stringValue: e.merchant },
    decision: { stringValue: e.decision },
  },
});

function ingestMeasurement(
  label: string,
  subject: 'service' | 'baseline',
  load: string,
  events: number,
  elapsedMs: number,
  batchLatencies: number[],
): Measurement {
  const calls = Math.max(1, batchLatencies.length);
  return {
    label,
    subject,
    load,
    rowsPerCall: Math.round(events / calls),
    throughputPerSec: (calls / elapsedMs) * 1000,
    rowsPerSec: (events / elapsedMs) * 1000,
    latencyMs: summarizeLatencies(batchLatencies.length > 0 ? batchLatencies : [elapsedMs]),
    errors: {},
    windowMs: elapsedMs,
    generators: 0,
    clientCpuPercent: 0,
  };
}

async function writeAll(address: string, events: PlainEvent[], batch = BATCH): Promise<number[]> {
  const client = createFeatureServiceClient(address);
  const write = promisify(client.WriteEvents.bind(client)) as unknown as (
    r: feature.WriteEventsRequest,
  ) => Promise<feature.WriteEventsResponse__Output>;
  const latencies: number[] = [];
  try {
    for (let i = 0; i < events.length; i += batch) {
      const start = performance.now();
      await write({ source: SOURCE, events: events.slice(i, i + batch).map(wire) });
      latencies.push(performance.now() - start);
    }
  } finally {
    client.close();
  }
  return latencies;
}

async function rawInserts(url: string, events: PlainEvent[]): Promise<number[]> {
  const connection = await mysql.createConnection({ uri: url });
  const latencies: number[] = [];
  try {
    await connection.query(
      'CREATE TABLE bench_raw_events (event_id VARCHAR(255) PRIMARY KEY, applicant_id BIGINT NOT NULL, ' +
        'event_time_ms BIGINT NOT NULL, amount DOUBLE, merchant_id VARCHAR(255), decision VARCHAR(64), ' +
        'KEY (applicant_id, event_time_ms))',
    );
    for (let i = 0; i < events.length; i += BATCH) {
      const rows = events
        .slice(i, i + BATCH)
        .map((e) => [e.id, e.applicant, e.time, e.amount, e.merchant, e.decision]);
      const start = performance.now();
      await connection.beginTransaction();
      await connection.query(
        'INSERT IGNORE INTO bench_raw_events (event_id, applicant_id, event_time_ms, amount, merchant_id, decision) VALUES ?',
        [rows],
      );
      await connection.commit();
      latencies.push(performance.now() - start);
    }
  } finally {
    await connection.end();
  }
  return latencies;
}

/** Publishes every event to JetStream, then waits until the service has stored them all. */
async function throughJetStream(natsUrl: string, metricsPort: number, events: PlainEvent[]): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await jsm.streams.info('TALLY_EVENTS');
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const js = jetstream(nc);
    const start = performance.now();
    for (let i = 0; i < events.length; i += BATCH) {
      await Promise.all(
        events.slice(i, i + BATCH).map((e) =>
          js.publish(
            `tally.events.${SOURCE}`,
            JSON.stringify({
              event_id: e.id,
              event_time_unix_ms: e.time,
              keys: { applicant_id: e.applicant },
              fields: { amount: e.amount, merchant_id: e.merchant, decision: e.decision },
            }),
          ),
        ),
      );
    }
    // Done when the service's own counter says every message was stored.
    while ((await streamWritten(metricsPort)) < events.length) {
      if (performance.now() - start > 300_000) throw new Error('JetStream events not stored within 300 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - start;
  } finally {
    await nc.close();
  }
}

/** tally_feature_stream_messages_total{outcome="written"} from the service's /metrics. */
async function streamWritten(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('tally_feature_stream_messages_total{') && line.includes('outcome="written"'))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

const CONTEXT: WireValues = {
  amount: { doubleValue: 5000 },
  term: { int64Value: 36 },
  int_rate: { doubleValue: 11.99 },
  sub_grade: { stringValue: 'C1' },
};

const fv = (address: string, featureSet: string, keys: KeyPlan, entities: number): FeatureVectorsTarget => ({
  kind: 'feature-vectors',
  address,
  featureSet,
  keyName: 'applicant_id',
  keys: { first: keys.first, count: entities },
  entitiesPerCall: entities,
  context: CONTEXT,
});

/**
 * Event ingestion (WriteEvents and JetStream) beside raw mysql2 inserts of the same rows, and the read
 * p99 of credit_risk_rt for 1 and 100 entities beside credit_risk, with light (10 events) and heavy
 * entities (one holding 100,000 events; 2,000 with --quick).
 */
export const eventsScenario: Scenario = {
  name: 'events',
  title: 'Events: ingestion and windowed reads (MySQL)',
  async run(context, output) {
    let database: BenchDatabase | undefined;
    let nats: NatsTestServer | undefined;
    let service: ServiceProcess | undefined;
    try {
      const { ingestEvents, heavyEvents } = counts(context);
      database = await createBenchDatabase(context.mysqlUrl);
      nats = await NatsTestServer.start();
      const metricsPort = await freePort();
      service = await startTallyService(context, 'feature-service', {
        STORE_URL: database.url,
        NATS_URL: nats.url,
        METRICS_PORT: String(metricsPort),
      });
      const now = Date.now();
      const spread = (first: number) => (i: number) => first + (i % Math.max(1, ingestEvents / 10));
      const viaRpc = makeEvents('rpc', ingestEvents, spread(20_001), now);
      context.log(`events: ${ingestEvents} events through WriteEvents`);
      let t = performance.now();
      const rpcLatencies = await writeAll(service.address, viaRpc);
      output.measurements.push(
        ingestMeasurement(
          'WriteEvents, batches of 500',
          'service',
          'sequential',
          ingestEvents,
          performance.now() - t,
          rpcLatencies,
        ),
      );
      context.log(`events: the same rows as raw mysql2 inserts`);
      t = performance.now();
      const rawLatencies = await rawInserts(database.url, viaRpc);
      output.measurements.push(
        ingestMeasurement(
          'raw mysql2 INSERT, batches of 500',
          'baseline',
          'sequential',
          ingestEvents,
          performance.now() - t,
          rawLatencies,
        ),
      );
      context.log(`events: ${ingestEvents} events through JetStream`);
      const viaStream = makeEvents('js', ingestEvents, spread(40_001), now);
      const streamMs = await throughJetStream(nats.url, metricsPort, viaStream);
      output.measurements.push(
        ingestMeasurement(
          'JetStream publish → stored',
          'service',
          'published in groups of 500',
          ingestEvents,
          streamMs,
          [],
        ),
      );
      context.log(`events: light entities (10 events) and one entity with ${heavyEvents} events`);
      await writeAll(
        service.address,
        makeEvents('light', LIGHT.count * 10, (i) => LIGHT.first + (i % LIGHT.count), now),
      );
      await writeAll(
        service.address,
        makeEvents('others', 99 * 10, (i) => 2 + (i % 99), now),
      );
      await writeAll(
        service.address,
        makeEvents('heavy', heavyEvents, () => 1, now),
        5000,
      );
      for (const entities of [1, 100]) {
        for (const [label, set, keys] of [
          [`credit_risk, ${entities} light`, 'credit_risk', LIGHT],
          [`credit_risk_rt, ${entities} light (10 events each)`, 'credit_risk_rt', LIGHT],
          [`credit_risk_rt, ${entities} incl. heavy (${heavyEvents} events)`, 'credit_risk_rt', HEAVY],
        ] as const) {
          output.measurements.push(
            await runLoad(
              loadRun(
                context,
                label,
                set === 'credit_risk' ? 'baseline' : 'service',
                fv(service.address, set, keys, entities),
                closed(1),
                {
                  rowsPerCall: entities,
                  serverPids: pidsOf(service),
                },
              ),
            ),
          );
        }
      }
      const find = (label: string) => output.measurements.find((m) => m.label.startsWith(label));
      const ratio = (a?: number, b?: number) => (a !== undefined && b ? (a / b).toFixed(2) : 'n/a');
      output.notes.push(
        `Counts: ${ingestEvents} events per ingestion path, heavy entity ${heavyEvents} events` +
          (context.profile.quick ? ' (--quick; a full run uses 100,000 and 100,000).' : '.'),
        'WriteEvents: one call of 500 events at a time (each one transaction: insert-or-ignore of the raw events, ' +
          'tile upserts). Raw mysql2: the same rows as multi-row INSERT IGNORE of 500 in one transaction each into a ' +
          'plain table with the event id as primary key (no aggregation). JetStream: time from the first publish ' +
          '(acknowledged publishes, 500 in flight) until the service counts every message as written.',
        `Ingest ratio WriteEvents ÷ raw mysql2 = ${ratio(find('WriteEvents')?.rowsPerSec, find('raw mysql2')?.rowsPerSec)}, ` +
          `JetStream ÷ raw mysql2 = ${ratio(find('JetStream')?.rowsPerSec, find('raw mysql2')?.rowsPerSec)} (goal ≥ 0.5).`,
        `Read p99 heavy ÷ light, 1 entity = ${ratio(find('credit_risk_rt, 1 incl')?.latencyMs.p99, find('credit_risk_rt, 1 light')?.latencyMs.p99)}, ` +
          `100 entities = ${ratio(find('credit_risk_rt, 100 incl')?.latencyMs.p99, find('credit_risk_rt, 100 light')?.latencyMs.p99)} (goal: about 1, no growth with event count).`,
        'Stored profile rows are not loaded in this scenario: credit_risk columns are served as defaults (cached "no row"), ' +
          'so credit_risk_rt − credit_risk is the cost of the aggregation read (never cached). Reads one at a time (c=1).',
      );
    } finally {
      await stopAll([service]);
      await nats?.stop();
      await database?.drop();
    }
  },
};
