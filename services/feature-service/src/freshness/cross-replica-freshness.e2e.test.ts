import path from 'node:path';
import type { common } from '@tally/contracts';
import { NatsTestServer, freePort, repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { createTestDatabase, featureClient, mysqlAvailable } from '../testing';
import type { FeatureClient, TestDatabase } from '../testing';

// Two real feature-service processes on one MySQL database and a test-started nats-server: a row
// written through one is read through the other, and the delay until it is visible is measured.

const SCRIPT = path.join(repoRoot(), 'services/feature-service/dist/main.js');
const REGISTRY = path.join(repoRoot(), 'features/test/registry');
/** The bound: a write acknowledged by one replica is seen by every replica's reads within 1 s. */
const BOUND_MS = 1000;

const int = (n: number): common.Value => ({ int64Value: n });

interface Replica {
  process: ServiceProcess;
  client: FeatureClient;
  metricsPort: number;
}

/** A sample of `name` (optionally with `label="value"`) on the replica's /metrics; 0 when absent. */
async function metric(replica: Replica, name: string, label?: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${replica.metricsPort}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && (!label || l.includes(label)));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** annual_inc of applicant `id` as `replica` serves it, or null when served as missing. */
async function annualInc(replica: Replica, id: number): Promise<number | null> {
  const res = await replica.client.getVectors({
    featureSet: 'profile_only',
    entities: [{ keys: { applicant_id: int(id) } }],
  });
  const vector = res.vectors[0]!;
  return vector.statuses[0] === 'FEATURE_STATUS_PRESENT' ? vector.values[0]! : null;
}

async function write(replica: Replica, id: number, annual: number): Promise<void> {
  await replica.client.write({
    featureView: 'applicant_profile',
    rows: [
      {
        keys: { applicant_id: int(id) },
        values: { annual_inc: { doubleValue: annual } },
        eventTimeUnixMs: Date.now(),
      },
    ],
  });
}

/**
 * Makes `reader` cache "no row" for `id`, writes it through `writer`, checks the writer serves it at
 * once, and returns how long after the acknowledgement `reader` first served it (polling, ≤ 5 s).
 */
async function visibilityDelay(writer: Replica, reader: Replica, id: number): Promise<number> {
  expect(await annualInc(reader, id)).toBeNull();
  expect(await annualInc(reader, id)).toBeNull(); // now served from the reader's cache
  const annual = 1000 + id;
  await write(writer, id, annual);
  const acked = performance.now();
  expect(await annualInc(writer, id)).toBe(annual); // the writing replica: at once
  for (;;) {
    if ((await annualInc(reader, id)) === annual) return performance.now() - acked;
    if (performance.now() - acked > 5000) return Infinity;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const runMysql = mysqlAvailable();
const maybe = runMysql ? it : it.skip;

describe('cache freshness across replicas (two processes, one MySQL, NATS)', () => {
  let nats: NatsTestServer;
  let database: TestDatabase;
  const replicas: Replica[] = [];
  const delays: Record<string, number[]> = {};

  async function startReplica(natsUrl: string | undefined): Promise<Replica> {
    const metricsPort = await freePort();
    const process = await startService({
      script: SCRIPT,
      env: {
        REGISTRY_PATH: REGISTRY,
        STORE_URL: database.url,
        GRPC_PORT: '0',
        METRICS_PORT: String(metricsPort),
        NATS_URL: natsUrl ?? '',
        CACHE_TTL_MS: '30000',
      },
    });
    const replica = { process, client: featureClient(process.address), metricsPort };
    replicas.push(replica);
    return replica;
  }

  async function stopReplica(replica: Replica): Promise<void> {
    replica.client.close();
    await replica.process.stop();
    replicas.splice(replicas.indexOf(replica), 1);
  }

  const fresh = (replica: Replica) => metric(replica, 'tally_feature_change_feed_fresh').then((v) => v === 1);
  const record = (phase: string, ms: number) => (delays[phase] ??= []).push(Math.round(ms));

  beforeAll(async () => {
    if (!runMysql) return;
    nats = await NatsTestServer.start();
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const replica of [...replicas]) await stopReplica(replica);
    await nats?.dispose();
    await database?.drop();
    if (Object.keys(delays).length > 0) console.log(`visibility delays (ms): ${JSON.stringify(delays)}`);
  });

  maybe('without NATS a cached "no row" outlives another replica\'s write (the control)', async () => {
    const a = await startReplica(undefined);
    const b = await startReplica(undefined);
    expect(await annualInc(b, 1)).toBeNull();
    await write(a, 1, 1001);
    expect(await annualInc(a, 1)).toBe(1001);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await annualInc(b, 1)).toBeNull(); // still the cached absence: 30 s TTL
    await stopReplica(a);
    await stopReplica(b);
  });

  maybe('with NATS a write through one replica is served by the other within 1 s, both ways', async () => {
    const a = await startReplica(nats.url);
    const b = await startReplica(nats.url);
    await until('both replicas trust the channel', async () => (await fresh(a)) && (await fresh(b)));
    for (let id = 100; id < 105; id++) record('connected a→b', await visibilityDelay(a, b, id));
    for (let id = 105; id < 110; id++) record('connected b→a', await visibilityDelay(b, a, id));
    expect(Math.max(...delays['connected a→b']!, ...delays['connected b→a']!)).toBeLessThan(BOUND_MS);
    // …because the invalidation travelled, not because the channel was degraded:
    expect(
      await metric(b, 'tally_feature_cache_invalidated_keys_total', 'origin="remote"'),
    ).toBeGreaterThanOrEqual(5);
    expect(await fresh(a)).toBe(true);
    expect(await fresh(b)).toBe(true);
  });

  maybe('a restarted replica is kept fresh and keeps the others fresh', async () => {
    const [a, b] = replicas as [Replica, Replica];
    await stopReplica(b);
    const b2 = await startReplica(nats.url);
    await until('the restarted replica trusts the channel', () => fresh(b2));
    // A replica that said goodbye does not leave the others degraded.
    expect(await fresh(a)).toBe(true);
    for (let id = 200; id < 203; id++) record('after restart a→b', await visibilityDelay(a, b2, id));
    for (let id = 203; id < 206; id++) record('after restart b→a', await visibilityDelay(b2, a, id));
    expect(Math.max(...delays['after restart a→b']!, ...delays['after restart b→a']!)).toBeLessThan(BOUND_MS);
  });

  maybe(
    'while NATS is down the bound still holds (entries live at most 750 ms), and after it returns',
    async () => {
      const [a, b] = replicas as [Replica, Replica];
      // Cached before the outage: this entry must not outlive it either.
      expect(await annualInc(b, 300)).toBeNull();
      await nats.stop();
      await until(
        'both replicas know the channel is down',
        async () => !(await fresh(a)) && !(await fresh(b)),
      );
      await write(a, 300, 1300);
      const acked = performance.now();
      await until(
        'the entry cached before the outage is refreshed',
        async () => (await annualInc(b, 300)) === 1300,
      );
      record('nats down, cached before', performance.now() - acked);
      for (let id = 301; id < 304; id++) record('nats down a→b', await visibilityDelay(a, b, id));
      expect(Math.max(...delays['nats down, cached before']!, ...delays['nats down a→b']!)).toBeLessThan(
        BOUND_MS,
      );

      await nats.start();
      await until(
        'both replicas trust the channel again',
        async () => (await fresh(a)) && (await fresh(b)),
        30000,
      );
      const remoteBefore = await metric(b, 'tally_feature_cache_invalidated_keys_total', 'origin="remote"');
      for (let id = 310; id < 313; id++) record('nats back a→b', await visibilityDelay(a, b, id));
      expect(Math.max(...delays['nats back a→b']!)).toBeLessThan(BOUND_MS);
      expect(
        await metric(b, 'tally_feature_cache_invalidated_keys_total', 'origin="remote"'),
      ).toBeGreaterThan(remoteBefore);
      expect(await metric(b, 'tally_feature_cache_clears_total')).toBeGreaterThanOrEqual(1);
    },
  );
});
