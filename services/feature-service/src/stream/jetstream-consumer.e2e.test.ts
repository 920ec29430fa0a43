import path from 'node:path';
import { StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { NatsTestServer, freePort, repoRoot, spawnService, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { createConnection } from 'mysql2/promise';
import { TcpProxy, createTestDatabase, mysqlAvailable } from '../testing';
import type { TestDatabase } from '../testing';

// A real feature-service consuming a real JetStream stream (test-started nats-server -js) into MySQL.

const SCRIPT = path.join(repoRoot(), 'services/feature-service/dist/main.js');
const REGISTRY = path.join(repoRoot(), 'features/test/events-registry/registry.yaml');
const STREAM = 'TEST_EVENTS';
const CONSUMER = 'feature-service-test';
const SUBJECT = 'test.events';
const DEAD_LETTER = 'test.dead_letter';
const SOURCE = 'test_purchases';

jest.setTimeout(180_000);

const runMysql = mysqlAvailable();
const maybe = runMysql ? it : it.skip;

/** One purchase event as a stream message (docs/event-stream.md). */
function purchase(id: string, applicant: number, amount: number, ageMs = 60_000): Record<string, unknown> {
  return {
    event_id: id,
    event_time_unix_ms: Date.now() - ageMs,
    keys: { applicant_id: applicant },
    fields: { amount, quantity: 1, merchant_id: 'shop-1', decision: 'approved', online: true },
  };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('JetStream event consumer (real nats-server, real feature-service, MySQL)', () => {
  let nats: NatsTestServer;
  let database: TestDatabase;
  let connection: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let service: ServiceProcess | undefined;
  let metricsPort = 0;

  async function start(storeUrl = database.url, extra: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    metricsPort = await freePort();
    service = await startService({
      script: SCRIPT,
      env: {
        REGISTRY_PATH: REGISTRY,
        STORE_URL: storeUrl,
        GRPC_PORT: '0',
        METRICS_PORT: String(metricsPort),
        NATS_URL: nats.url,
        EVENTS_STREAM: STREAM,
        EVENTS_SUBJECT_PREFIX: SUBJECT,
        EVENTS_CONSUMER: CONSUMER,
        EVENTS_DEAD_LETTER_SUBJECT: DEAD_LETTER,
        EVENTS_BATCH_SIZE: '100',
        EVENTS_ACK_WAIT_MS: '2000',
        EVENTS_RETRY_DELAY_MS: '300',
        EVENT_SWEEP_INTERVAL_MS: '0',
        ...extra,
      },
    });
    await service.waitForRecord((r) => r.message === 'consuming events');
    return service;
  }

  async function stored(sql: string): Promise<Array<Record<string, unknown>>> {
    const db = await createConnection({ uri: database.url });
    try {
      return (await db.query(sql))[0] as Array<Record<string, unknown>>;
    } finally {
      await db.end();
    }
  }

  const storedCount = async () => Number((await stored(`select count(*) as n from ev_${SOURCE}`))[0]!.n);

  /** The largest event count of any (series, tile size): the unfiltered count series holds every event. */
  async function tileCounts(): Promise<{ max: number; anyAbove: (n: number) => boolean }> {
    const rows = await stored(
      `select series, tile_ms, sum(event_count) as n from et_${SOURCE} group by series, tile_ms`,
    );
    const counts = rows.map((r) => Number(r.n));
    return { max: Math.max(0, ...counts), anyAbove: (n) => counts.some((c) => c > n) };
  }

  /** A counter on the service's /metrics, summed over the samples carrying `label`. */
  async function metric(name: string, label: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    // Summed over the other labels (e.g. every source).
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) && l.includes(label))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
  }

  async function publish(subject: string, payload: unknown): Promise<void> {
    const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
    await js.publish(subject, data);
  }

  /** Every published message settled: nothing pending, nothing delivered and unacknowledged. */
  async function drained(): Promise<boolean> {
    const info = await jsm.consumers.info(STREAM, CONSUMER);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }

  beforeAll(async () => {
    if (!runMysql) return;
    nats = await NatsTestServer.start();
    database = await createTestDatabase();
    connection = await connect({ servers: nats.url });
    jsm = await jetstreamManager(connection);
    js = jetstream(connection);
    // The producer's side owns the stream here (the service would create the same if it were missing).
    await jsm.streams.add({ name: STREAM, subjects: [`${SUBJECT}.>`], storage: StorageType.File });
  });

  afterEach(async () => {
    if (service && process.env.TALLY_TEST_VERBOSE) console.log(service.lines.slice(-30).join('\n'));
    await service?.stop();
    service = undefined;
  });

  afterAll(async () => {
    await connection?.close();
    await nats?.dispose();
    await database?.drop();
  });

  maybe('delivers every published event into the store, then acks it', async () => {
    await start();
    for (let i = 0; i < 200; i++) await publish(`${SUBJECT}.${SOURCE}`, purchase(`d-${i}`, i % 20, 10 + i));
    await until(
      '200 events stored and every message acked',
      async () => (await storedCount()) === 200 && (await drained()),
    );
    expect((await tileCounts()).max).toBe(200);
    expect(await metric('tally_feature_stream_messages_total', 'outcome="written"')).toBe(200);
    // Published again (a producer retry): stored once.
    for (let i = 0; i < 10; i++) await publish(`${SUBJECT}.${SOURCE}`, purchase(`d-${i}`, i % 20, 10 + i));
    await until('the replays are settled', drained);
    expect(await storedCount()).toBe(200);
    expect(await metric('tally_feature_stream_messages_total', 'outcome="duplicate"')).toBe(10);
  });

  maybe('sets poison messages aside with their reason and counts them; later events still land', async () => {
    await start();
    const subject = `${SUBJECT}.${SOURCE}`;
    await publish(subject, purchase('p-good-1', 7, 1));
    await publish(subject, 'not json {');
    await publish(subject, { ...purchase('p-bad-type', 7, 1), fields: { amount: 'lots' } });
    await publish(subject, purchase('p-future', 7, 1, -3_600_000)); // an hour ahead of the clock
    await publish(`${SUBJECT}.no_such_source`, purchase('p-unknown-source', 7, 1));
    await publish(subject, purchase('p-good-2', 7, 2));
    await until('everything settled', drained);
    for (let i = 0; i < 5; i++) await publish(subject, purchase(`p-later-${i}`, 8, i));
    const ids = async () =>
      (await stored(`select event_id from ev_${SOURCE} where event_id like 'p-%'`)).map((r) =>
        String(r.event_id),
      );
    await until('the later events are stored', async () => (await ids()).length === 7 && (await drained()));

    expect((await ids()).sort()).toEqual([
      'p-good-1',
      'p-good-2',
      'p-later-0',
      'p-later-1',
      'p-later-2',
      'p-later-3',
      'p-later-4',
    ]);
    expect(await metric('tally_feature_stream_messages_total', 'outcome="dead_lettered"')).toBe(4);

    // The dead letters keep the payload, the original subject and the reason.
    const dead = await js.consumers.get(`${STREAM}_DEAD_LETTER`);
    const letters: Array<{ subject: string; reason: string; data: string }> = [];
    const messages = await dead.fetch({ max_messages: 4, expires: 5000 });
    for await (const m of messages) {
      letters.push({
        subject: m.headers?.get('Tally-Original-Subject') ?? '',
        reason: m.headers?.get('Tally-Dead-Letter-Reason') ?? '',
        data: m.string(),
      });
      m.ack();
      if (letters.length === 4) break;
    }
    expect(letters.map((l) => l.reason)).toEqual([
      expect.stringMatching(/^not UTF-8 JSON/),
      expect.stringMatching(/^events\[\d+\]\.fields\.amount: /),
      expect.stringMatching(/^events\[\d+\]\.event_time_unix_ms: /),
      expect.stringMatching(/^source: unknown event source 'no_such_source'/),
    ]);
    expect(letters[0]!.data).toBe('not json {');
    expect(letters[3]!.subject).toBe(`${SUBJECT}.no_such_source`);
  });

  maybe('after a SIGKILL mid-stream, every published event is counted exactly once', async () => {
    const before = await storedCount();
    const total = 3000;
    // A backlog, then a consumer killed while it works through it.
    const subject = `${SUBJECT}.${SOURCE}`;
    await Promise.all(
      Array.from({ length: total }, (_, i) => publish(subject, purchase(`k-${i}`, 100 + (i % 50), i % 97))),
    );
    const victim = await start();
    await until('the consumer is part-way through', async () => (await storedCount()) > before + 200, 60000);
    victim.child.kill('SIGKILL');
    await victim.exited;
    service = undefined;
    const partial = (await storedCount()) - before;
    expect(partial).toBeLessThan(total); // it really was killed mid-stream

    await start();
    await until(
      'every event is stored and acked',
      async () => (await storedCount()) === before + total && (await drained()),
      120000,
    );
    const counts = await tileCounts();
    expect(counts.max).toBe(before + total); // tiles counted each event once…
    expect(counts.anyAbove(before + total)).toBe(false); // …and never twice
    console.log(
      `killed after ${partial} of ${total} events; the restarted consumer stored the rest exactly once`,
    );
  });

  maybe('while the store is down, batches are delivered again later and nothing is lost', async () => {
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(database.url).port || 3306));
    await proxy.open();
    const url = new URL(database.url);
    url.port = String(proxy.port);
    await start(url.toString(), { STORE_TIMEOUT_MS: '300' });
    const before = await storedCount();
    await proxy.close();
    for (let i = 0; i < 30; i++) await publish(`${SUBJECT}.${SOURCE}`, purchase(`s-${i}`, 300 + (i % 3), i));
    await until(
      'a write failed and was scheduled again',
      async () => (await metric('tally_feature_stream_messages_total', 'outcome="retried"')) > 0,
    );
    await proxy.open();
    await until(
      'every event is stored once the store is back',
      async () => (await storedCount()) === before + 30 && (await drained()),
      60000,
    );
    await service?.stop();
    await proxy.close();
  });

  maybe('refuses a dead-letter subject inside the event subjects at start-up', async () => {
    const bad = spawnService({
      script: SCRIPT,
      env: {
        REGISTRY_PATH: REGISTRY,
        STORE_URL: database.url,
        GRPC_PORT: '0',
        METRICS_PORT: '0',
        NATS_URL: nats.url,
        EVENTS_SUBJECT_PREFIX: SUBJECT,
        EVENTS_DEAD_LETTER_SUBJECT: `${SUBJECT}.dead`,
      },
    });
    expect((await bad.exited).code).toBe(1);
    expect(bad.stderr.join('')).toMatch(
      /EVENTS_DEAD_LETTER_SUBJECT=test\.events\.dead lies under EVENTS_SUBJECT_PREFIX/,
    );
  });
});
