import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { DAY_MS, HOUR_MS, MINUTE_MS, ZERO_WHEN_EMPTY, aggregateWindow, finalValue } from '@tally/windows';
import { loadRegistry } from '../registry';
import { EventStore, OnlineStore, parseStoreUrl } from '../store';
import type { StoreDialect } from '../store';
import { createTestDatabase, mysqlAvailable } from '../testing';
import type { TestDatabase } from '../testing';
import { aggregateValue, groupTiles, tileRangesFor } from '../vectors';
import type { EventInput } from './event-input';
import { EventWriter } from './event-writer';

const registry = loadRegistry(path.join(repoRoot(), 'features/test/events-registry'));
const source = registry.eventSources.get('test_purchases')!;
const NOW = Date.parse('2026-12-06T10:30:20.000Z');
const LIMITS = { maxEventsPerWrite: 1000, allowedLatenessMs: DAY_MS, maxFutureMs: 5 * MINUTE_MS };
const DECISIONS = ['approved', 'declined', 'review'];

/** A deterministic PRNG, so a failing history can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const runMysql = mysqlAvailable();
const dialects: Array<[StoreDialect, boolean]> = [
  ['sqlite', true],
  ['mysql', runMysql],
];

/**
 * Random histories (times anywhere from 31 days back to the skew bound, many on tile edges, fields
 * sometimes absent, replays mixed in) written in random batches and orders: every aggregation read
 * from the tiles must equal the reference computed from the raw events by @tally/windows, at many
 * instants. This is the property the offline builder relies on.
 */
describe.each(dialects)('tiles agree with the raw events (%s)', (dialect, enabled) => {
  const maybe = enabled ? it : it.skip;
  let online: OnlineStore;
  let store: EventStore;
  let database: TestDatabase | undefined;
  let tmp: string;

  beforeAll(async () => {
    if (!enabled) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-tiles-'));
    let url = `sqlite:${path.join(tmp, 'store.sqlite')}`;
    if (dialect === 'mysql') {
      database = await createTestDatabase();
      url = database.url;
    }
    online = await OnlineStore.open(parseStoreUrl(url)!, registry, { poolSize: 2, connectTimeoutMs: 3000 });
    store = new EventStore(online.db, online.dialect);
  });

  afterAll(async () => {
    await online?.close();
    await database?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  maybe(
    'for every aggregation, window and instant',
    async () => {
      const seed = Date.now() % 1_000_000;
      const random = prng(seed);
      const writer = new EventWriter({ registry, store, limits: LIMITS, now: () => NOW });
      const events: EventInput[] = [];
      for (let i = 0; i < 600; i += 1) {
        const onEdge = random() < 0.3;
        const base = NOW - Math.floor(random() * (31 * DAY_MS));
        // Edge cases: exactly on a 15 min / 2 h / 8 h boundary, or one ms before it.
        const grid = [15 * MINUTE_MS, 2 * HOUR_MS, 8 * HOUR_MS][Math.floor(random() * 3)]!;
        const time = onEdge ? Math.floor(base / grid) * grid - (random() < 0.5 ? 1 : 0) : base;
        const fields: Record<string, EventInput['fields'][string]> = {};
        if (random() < 0.9)
          fields.amount = { kind: 'doubleValue', doubleValue: Math.round(random() * 50000) / 100 };
        if (random() < 0.7) fields.quantity = { kind: 'int64Value', int64Value: Math.floor(random() * 10) };
        if (random() < 0.9)
          fields.decision = { kind: 'stringValue', stringValue: DECISIONS[Math.floor(random() * 3)]! };
        events.push({
          eventId: `r${i}`,
          eventTimeMs: Math.max(time, NOW - 31 * DAY_MS),
          keys: { applicant_id: { kind: 'int64Value', int64Value: 1 + Math.floor(random() * 3) } },
          fields,
        });
      }
      // Random order, random batches, and a third of the events sent twice.
      const sends = [...events, ...events.filter(() => random() < 0.33)];
      for (let i = sends.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [sends[i], sends[j]] = [sends[j]!, sends[i]!];
      }
      let written = 0;
      for (let i = 0; i < sends.length;) {
        const size = 1 + Math.floor(random() * 60);
        written += (await writer.write(source.name, sends.slice(i, i + size))).written;
        i += size;
      }
      expect({ seed, written }).toEqual({ seed, written: events.length });

      const newest = Math.max(...events.map((e) => e.eventTimeMs));
      const instants = [
        NOW,
        newest,
        ...Array.from({ length: 6 }, () => NOW + Math.floor(random() * 3 * DAY_MS)),
      ].map((t) => Math.max(t, newest));
      for (const at of instants) {
        const tiles = groupTiles(
          await store.readTiles(source, [1, 2, 3], tileRangesFor(source.aggregations, at)),
        );
        for (const applicant of [1, 2, 3]) {
          const own = events.filter((e) => e.keys.applicant_id!.int64Value === applicant);
          for (const feature of source.aggregations) {
            const { field, filter } = feature.series;
            const matching = own.filter(
              (e) => filter === undefined || e.fields[filter.field.name]?.stringValue === filter.level,
            );
            const raw = matching.map((e) => {
              const v = field === undefined ? undefined : e.fields[field.name];
              const value =
                v === undefined ? null : Number(v.kind === 'doubleValue' ? v.doubleValue : v.int64Value);
              return { eventTimeMs: e.eventTimeMs, value };
            });
            const partial = aggregateWindow(raw, at, feature.windowMs, feature.tileMs, field === undefined);
            let expected = finalValue(feature.function, partial, at);
            if (expected === undefined && ZERO_WHEN_EMPTY.includes(feature.function)) expected = 0;
            const got = aggregateValue(feature, tiles.get(String(applicant)), at);
            const context = { seed, at, applicant, feature: feature.name };
            if ((feature.function === 'sum' || feature.function === 'mean') && expected !== undefined) {
              // Doubles added in another order may differ in the last binary digits.
              expect({
                ...context,
                close: Math.abs(got.value! - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
              }).toEqual({
                ...context,
                close: true,
              });
            } else {
              expect({ ...context, value: got.value }).toEqual({ ...context, value: expected });
            }
            expect({ ...context, eventTimeMs: got.eventTimeMs }).toEqual({
              ...context,
              eventTimeMs: partial.lastTimeMs,
            });
          }
        }
      }
    },
    60000,
  );
});
