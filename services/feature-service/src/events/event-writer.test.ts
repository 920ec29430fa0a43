import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, UnavailableError } from '@tally/grpc-kit';
import { repoRoot } from '@tally/testkit';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@tally/windows';
import { loadRegistry } from '../registry';
import { EventStore, OnlineStore, parseStoreUrl, tileTableOf } from '../store';
import type { StoreDialect, StoreOperation } from '../store';
import { createTestDatabase, mysqlAvailable } from '../testing';
import type { TestDatabase } from '../testing';
import { STATUS, assembleVector, groupTiles, tileRangesFor } from '../vectors';
import type { SourceTiles } from '../vectors';
import { EventWriter } from './event-writer';
import type { EventInput, Value } from './event-input';

const registry = loadRegistry(path.join(repoRoot(), 'features/test/events-registry'));
const source = registry.eventSources.get('test_purchases')!;
const set = registry.featureSets.get('events_test')!;

// The instant every value below is computed at: 2026-12-06 10:30:20 UTC.
const NOW = Date.parse('2026-12-06T10:30:20.000Z');
const t = (iso: string) => Date.parse(iso);

const int = (n: number): Value => ({ kind: 'int64Value', int64Value: n });
const dbl = (n: number): Value => ({ kind: 'doubleValue', doubleValue: n });
const str = (s: string): Value => ({ kind: 'stringValue', stringValue: s });

function purchase(
  id: string,
  applicant: number,
  eventTimeMs: number,
  fields: { amount?: number; quantity?: number; decision?: string },
): EventInput {
  const out: Record<string, Value> = {};
  if (fields.amount !== undefined) out.amount = dbl(fields.amount);
  if (fields.quantity !== undefined) out.quantity = int(fields.quantity);
  if (fields.decision !== undefined) out.decision = str(fields.decision);
  return { eventId: id, eventTimeMs, keys: { applicant_id: int(applicant) }, fields: out };
}

/**
 * Applicant 1's history. Windows at NOW (docs/windows.md): 1h from 09:31:00 (1 min tiles), 24h from
 * 12-05 10:45 (15 min tiles), 7d from 11-29 12:00 (2h tiles: tileStart 10:00 − 7d + 2h), 30d from
 * 11-06 16:00 (8h tiles: tileStart 08:00 − 30d + 8h).
 */
const HISTORY: EventInput[] = [
  purchase('e1', 1, t('2026-12-06T10:30:00.000Z'), { amount: 10, quantity: 1, decision: 'approved' }),
  purchase('e2', 1, t('2026-12-06T10:00:00.000Z'), { amount: 20, quantity: 2, decision: 'declined' }),
  purchase('e3', 1, t('2026-12-06T09:31:00.000Z'), { amount: 5, quantity: 3, decision: 'approved' }), // first instant of 1h
  purchase('e4', 1, t('2026-12-06T09:30:59.999Z'), { amount: 7, quantity: 4, decision: 'declined' }), // just out of 1h
  purchase('e5', 1, t('2026-12-05T10:45:00.000Z'), { amount: 100, decision: 'declined' }), // first instant of 24h
  purchase('e6', 1, t('2026-12-05T10:44:59.999Z'), { amount: 1000, decision: 'approved' }), // just out of 24h
  purchase('e7', 1, t('2026-11-29T12:00:00.000Z'), { amount: 50, quantity: 9, decision: 'review' }), // first instant of 7d
  purchase('e8', 1, t('2026-11-29T11:59:59.999Z'), { amount: 60, quantity: 8, decision: 'approved' }), // just out of 7d
  purchase('e9', 1, t('2026-11-16T00:00:00.000Z'), { decision: 'declined' }), // no amount: counted, not summed
  purchase('e10', 1, t('2026-11-06T16:00:00.000Z'), { amount: 3, decision: 'approved' }), // first instant of 30d
  purchase('e11', 1, t('2026-11-06T15:59:59.999Z'), { amount: 4, decision: 'declined' }), // just out of 30d
];

/** The vector of `applicantId` at NOW: value, status and event time per column. */
const EXPECTED_1: Record<string, [number, number, number]> = {
  annual_inc: [0, STATUS.MISSING_DEFAULTED, 0],
  purchase_count_1h: [3, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // e1 e2 e3
  purchase_count_24h: [5, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // e1…e5
  purchase_count_7d: [7, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // e1…e7
  purchase_count_30d: [10, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // e1…e10
  amount_sum_1h: [35, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // 10 + 20 + 5
  amount_sum_30d: [1255, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // 10+20+5+7+100+1000+50+60+3
  amount_mean_24h: [28.4, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // (10+20+5+7+100) / 5
  amount_min_24h: [5, STATUS.PRESENT, HISTORY[0]!.eventTimeMs],
  amount_max_30d: [1000, STATUS.PRESENT, HISTORY[0]!.eventTimeMs],
  quantity_last_7d: [1, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // e1 is the newest with a quantity
  declined_count_30d: [4, STATUS.PRESENT, HISTORY[1]!.eventTimeMs], // e2 e4 e5 e9; newest is e2
  declined_amount_sum_24h: [127, STATUS.PRESENT, HISTORY[1]!.eventTimeMs], // 20 + 7 + 100
  since_last_purchase_7d: [20, STATUS.PRESENT, HISTORY[0]!.eventTimeMs], // 10:30:20 − 10:30:00
  amount_per_purchase_30d: [125.5, STATUS.PRESENT, 0], // 1255 / 10
};

/** Applicant 2 has no events: count and sum are real zeros, the rest their declared defaults. */
const EXPECTED_EMPTY: Record<string, [number, number]> = {
  purchase_count_1h: [0, STATUS.PRESENT],
  amount_sum_30d: [0, STATUS.PRESENT],
  amount_mean_24h: [-1, STATUS.MISSING_DEFAULTED],
  amount_min_24h: [-1, STATUS.MISSING_DEFAULTED],
  amount_max_30d: [0, STATUS.MISSING_DEFAULTED],
  quantity_last_7d: [0, STATUS.MISSING_DEFAULTED],
  declined_count_30d: [0, STATUS.PRESENT],
  since_last_purchase_7d: [-1, STATUS.MISSING_DEFAULTED],
};

const LIMITS = { maxEventsPerWrite: 1000, allowedLatenessMs: DAY_MS, maxFutureMs: 5 * MINUTE_MS };

const runMysql = mysqlAvailable();
const dialects: Array<[StoreDialect, boolean]> = [
  ['sqlite', true],
  ['mysql', runMysql],
];

describe.each(dialects)('events: writer, tiles and values (%s)', (dialect, enabled) => {
  const maybe = enabled ? it : it.skip;
  let online: OnlineStore;
  let events: EventStore;
  let writer: EventWriter;
  let database: TestDatabase | undefined;
  let tmp: string;
  const queries: StoreOperation[] = [];

  beforeAll(async () => {
    if (!enabled) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-events-'));
    let url = `sqlite:${path.join(tmp, 'store.sqlite')}`;
    if (dialect === 'mysql') {
      database = await createTestDatabase();
      url = database.url;
    }
    online = await OnlineStore.open(parseStoreUrl(url)!, registry, {
      poolSize: 4,
      connectTimeoutMs: 3000,
      onQuery: (operation) => queries.push(operation),
    });
    events = new EventStore(online.db, online.dialect);
    writer = new EventWriter({ registry, store: events, limits: LIMITS, now: () => NOW });
  });

  afterAll(async () => {
    await online?.close();
    await database?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function vectorOf(applicantId: number, at = NOW) {
    const features = set.features.flatMap((f) => (f.source === 'aggregation' ? [f.aggregation] : []));
    const rows = await events.readTiles(source, [applicantId], tileRangesFor(features, at));
    const aggregates = new Map<string, SourceTiles>([
      [source.name, { tiles: groupTiles(rows), failed: false }],
    ]);
    const entity = { keys: new Map([['applicant_id', applicantId]]), context: new Map() };
    const reads = new Map([['applicant_profile', { rows: new Map(), failed: new Set<string>() }]]);
    const vector = assembleVector(set, entity, reads, at, aggregates);
    return Object.fromEntries(
      set.columns.map((c, i) => [c, [vector.values[i], vector.statuses[i], vector.eventTimes[i]]]),
    );
  }

  maybe(
    'every aggregation and window matches the hand-computed values, whatever the arrival order',
    async () => {
      // Out of order, in three batches; the oldest-first order would give the same tiles.
      const shuffled = [HISTORY[6]!, HISTORY[0]!, HISTORY[10]!, HISTORY[3]!, HISTORY[8]!, HISTORY[1]!];
      const rest = HISTORY.filter((e) => !shuffled.includes(e));
      expect(await writer.write(source.name, shuffled.slice(0, 2))).toEqual({ written: 2, duplicates: 0 });
      expect(await writer.write(source.name, shuffled.slice(2))).toEqual({ written: 4, duplicates: 0 });
      expect(await writer.write(source.name, rest.reverse())).toEqual({ written: 5, duplicates: 0 });
      expect(await vectorOf(1)).toEqual(EXPECTED_1);
      const empty = await vectorOf(2);
      for (const [column, [value, status]] of Object.entries(EXPECTED_EMPTY)) {
        expect({ column, value: empty[column]![0], status: empty[column]![1] }).toEqual({
          column,
          value,
          status,
        });
      }
    },
  );

  maybe('the windows move on: 40 minutes later only e1 is left in the 1h window', async () => {
    // At 11:10:20 the 1h window starts at 10:11:00: only e1 (10:30:00) is in it; e2 (10:00) left.
    const later = await vectorOf(1, NOW + 40 * MINUTE_MS);
    expect(later.purchase_count_1h![0]).toBe(1);
    expect(later.amount_sum_1h![0]).toBe(10);
    expect(later.since_last_purchase_7d![0]).toBe(40 * 60 + 20);
  });

  maybe('a replayed batch is counted once; a repeated id within a batch too', async () => {
    expect(await writer.write(source.name, HISTORY)).toEqual({ written: 0, duplicates: HISTORY.length });
    const twice = purchase('dup-1', 3, NOW - HOUR_MS / 2, { amount: 1 });
    const changed = purchase('dup-1', 3, NOW - HOUR_MS / 2, { amount: 99 }); // same id, other payload
    expect(await writer.write(source.name, [twice, changed, twice])).toEqual({ written: 1, duplicates: 2 });
    expect(await writer.write(source.name, [changed])).toEqual({ written: 0, duplicates: 1 });
    const v = await vectorOf(3);
    expect(v.purchase_count_1h![0]).toBe(1);
    expect(v.amount_sum_1h![0]).toBe(1); // the first payload won
    expect(await vectorOf(1)).toEqual(EXPECTED_1);
  });

  maybe('bad input is refused naming events[i].field, and nothing of the batch is written', async () => {
    const good = purchase('bad-batch-0', 4, NOW - 1000, { amount: 1 });
    const cases: Array<[string, EventInput | 'source', string]> = [
      ['source', 'source', 'source'],
      [
        'unknown field',
        { ...good, eventId: 'b1', fields: { colour: str('red') } },
        'events[1].fields.colour',
      ],
      ['wrong type', { ...good, eventId: 'b2', fields: { amount: str('ten') } }, 'events[1].fields.amount'],
      ['NaN', { ...good, eventId: 'b3', fields: { amount: dbl(NaN) } }, 'events[1].fields.amount'],
      ['Infinity', { ...good, eventId: 'b4', fields: { amount: dbl(Infinity) } }, 'events[1].fields.amount'],
      [
        'int field given 1.5',
        { ...good, eventId: 'b5', fields: { quantity: dbl(1.5) } },
        'events[1].fields.quantity',
      ],
      [
        'unknown level',
        { ...good, eventId: 'b6', fields: { decision: str('maybe') } },
        'events[1].fields.decision',
      ],
      ['missing event id', { ...good, eventId: '' }, 'events[1].event_id'],
      ['event id too long', { ...good, eventId: 'x'.repeat(256) }, 'events[1].event_id'],
      ['missing key', { ...good, eventId: 'b7', keys: {} }, 'events[1].keys.applicant_id'],
      [
        'string for an int key',
        { ...good, eventId: 'b8', keys: { applicant_id: str('4') } },
        'events[1].keys.applicant_id',
      ],
      [
        'extra key',
        { ...good, eventId: 'b9', keys: { applicant_id: int(4), merchant_id: str('m') } },
        'events[1].keys.merchant_id',
      ],
      ['no event time', { ...good, eventId: 'b10', eventTimeMs: 0 }, 'events[1].event_time_unix_ms'],
      [
        'too far in the future',
        { ...good, eventId: 'b11', eventTimeMs: NOW + 5 * MINUTE_MS + 1 },
        'events[1].event_time_unix_ms',
      ],
      [
        'older than 30d + 1d lateness',
        { ...good, eventId: 'b12', eventTimeMs: NOW - 31 * DAY_MS - 1 },
        'events[1].event_time_unix_ms',
      ],
    ];
    for (const [label, bad, field] of cases) {
      const call =
        bad === 'source' ? writer.write('no_such_source', [good]) : writer.write(source.name, [good, bad]);
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect({
        label,
        isInvalid: err instanceof InvalidArgumentError,
        field: (err as InvalidArgumentError).field,
      }).toEqual({
        label,
        isInvalid: true,
        field,
      });
    }
    // Accepted at the very bounds: exactly the skew bound ahead, exactly 31 days old.
    const edge = [
      { ...good, eventId: 'edge-future', eventTimeMs: NOW + 5 * MINUTE_MS },
      { ...good, eventId: 'edge-old', eventTimeMs: NOW - 31 * DAY_MS },
    ];
    expect(await writer.write(source.name, edge)).toEqual({ written: 2, duplicates: 0 });
    expect((await vectorOf(4)).purchase_count_1h![0]).toBe(0); // neither is in a window at NOW
    // The first (valid) event of every refused batch was never written.
    expect(await writer.write(source.name, [good])).toEqual({ written: 1, duplicates: 0 });
    await expect(writer.write(source.name, [])).rejects.toThrow(/^events: at least one event/);
  });

  maybe('a failing write applies nothing (UNAVAILABLE) and the retry counts the batch once', async () => {
    const batch = [5, 6].map((n) => purchase(`outage-${n}`, 5, NOW - n * 1000, { amount: n }));
    // The events insert succeeds, then the tile upsert fails: the transaction must undo the events.
    const tiles = tileTableOf(source);
    await online.db.schema.alterTable(tiles).renameTo(`${tiles}_away`).execute();
    try {
      const err = await writer.write(source.name, batch).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnavailableError);
      expect((err as Error).message).toMatch(new RegExp(`^online store \\(${dialect}\\) unavailable: `));
    } finally {
      await online.db.schema.alterTable(`${tiles}_away`).renameTo(tiles).execute();
    }
    expect(await writer.write(source.name, batch)).toEqual({ written: 2, duplicates: 0 });
    const v = await vectorOf(5);
    expect([v.purchase_count_1h![0], v.amount_sum_1h![0]]).toEqual([2, 11]);
  });

  maybe('reading 1 or 100 entities is one query per source, whatever their event counts', async () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      purchase(`heavy-${i}`, 100, NOW - (i + 1) * 60_000 * 7, { amount: 1 }),
    );
    expect((await writer.write(source.name, many)).written).toBe(500);
    const features = source.aggregations;
    for (const keys of [[100], Array.from({ length: 100 }, (_, i) => 100 + i)]) {
      queries.length = 0;
      const rows = await events.readTiles(source, keys, tileRangesFor(features, NOW));
      expect(queries).toEqual(['read']);
      // 500 events over 58 hours: at most 60 + 96 + 84 + 90 tiles per series and size are read.
      expect(rows.get('100')!.length).toBeLessThanOrEqual(10 * 96);
    }
    // Only the series and tile sizes the features read: purchase_count_1h needs series '*' in 1 min tiles.
    const only1h = source.aggregations.filter((a) => a.name === 'purchase_count_1h');
    const tiles = (await events.readTiles(source, [100], tileRangesFor(only1h, NOW))).get('100')!;
    expect(new Set(tiles.map((x) => `${x.seriesId}@${x.tileMs}`))).toEqual(new Set(['*@60000']));
    // Events at 10:23:20, 10:16:20, … 09:34:20 (every 7 min back from NOW) are in 09:31–10:30: 8 tiles.
    expect(tiles.length).toBe(8);
  });

  maybe(
    'the sweep deletes tiles no window reads and events past retention, a bounded number per run',
    async () => {
      const far = NOW + 400 * DAY_MS; // every window and the 60d retention have passed
      const first = await events.sweep(source, far, 60 * DAY_MS, 5);
      expect(first).toEqual({ tiles: 5, events: 5 });
      let total = { ...first };
      for (;;) {
        const next = await events.sweep(source, far, 60 * DAY_MS, 1000);
        total = { tiles: total.tiles + next.tiles, events: total.events + next.events };
        if (next.tiles + next.events === 0) break;
      }
      expect(total.events).toBeGreaterThan(500);
      expect((await events.readTiles(source, [1, 100], tileRangesFor(source.aggregations, NOW))).size).toBe(
        0,
      );
    },
  );
});
