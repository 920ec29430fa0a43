import {
  DAY_MS,
  EMPTY_PARTIAL,
  HOUR_MS,
  MINUTE_MS,
  aggregateWindow,
  eventRetentionMs,
  eventTimeBounds,
  finalValue,
  inWindow,
  mergePartials,
  partialOfEvent,
  tileSizeFor,
  tileStartOf,
  windowAt,
} from './index';

const at = (iso: string) => Date.parse(iso);

describe('tile sizes', () => {
  it.each([
    ['1m', MINUTE_MS, MINUTE_MS],
    ['1h', HOUR_MS, MINUTE_MS], // 60 tiles
    ['90m', 90 * MINUTE_MS, MINUTE_MS], // 90 tiles
    ['97m', 97 * MINUTE_MS, undefined], // 97 one-minute tiles is too many, and 5 min does not divide it
    ['100m', 100 * MINUTE_MS, 5 * MINUTE_MS], // 20 tiles
    ['6h', 6 * HOUR_MS, 5 * MINUTE_MS], // 72 tiles
    ['24h', DAY_MS, 15 * MINUTE_MS], // 96 tiles
    ['7d', 7 * DAY_MS, 2 * HOUR_MS], // 168 h / 2 h = 84 tiles
    ['30d', 30 * DAY_MS, 8 * HOUR_MS], // 720 h / 8 h = 90 tiles
    ['90d', 90 * DAY_MS, DAY_MS],
    ['96d', 96 * DAY_MS, DAY_MS],
    ['97d', 97 * DAY_MS, undefined],
    ['30s', 30_000, undefined],
    ['0', 0, undefined],
  ])('%s → %s ms', (_label, windowMs, expected) => {
    expect(tileSizeFor(windowMs)).toBe(expected);
  });

  it('tiles start at multiples of their size since the epoch (UTC)', () => {
    expect(tileStartOf(at('2026-12-06T10:30:20.000Z'), 8 * HOUR_MS)).toBe(at('2026-12-06T08:00:00.000Z'));
    expect(tileStartOf(at('2026-12-06T10:30:20.000Z'), 15 * MINUTE_MS)).toBe(at('2026-12-06T10:30:00.000Z'));
  });
});

describe('the window at an instant', () => {
  const t = at('2026-12-06T10:30:20.000Z');

  it('1h: the head is exact, the tail starts at tileStart(t) − 1h + 1 min', () => {
    const range = windowAt(t, HOUR_MS, MINUTE_MS);
    expect(new Date(range.fromMs).toISOString()).toBe('2026-12-06T09:31:00.000Z');
    expect(range.toMs).toBe(t);
    expect(inWindow(at('2026-12-06T09:31:00.000Z'), t, HOUR_MS, MINUTE_MS)).toBe(true);
    expect(inWindow(at('2026-12-06T09:30:59.999Z'), t, HOUR_MS, MINUTE_MS)).toBe(false);
    expect(inWindow(t, t, HOUR_MS, MINUTE_MS)).toBe(true);
    expect(inWindow(t + 1, t, HOUR_MS, MINUTE_MS)).toBe(false);
    // 60 tiles: 09:31 … 10:30
    expect((range.lastTileStartMs - range.firstTileStartMs) / MINUTE_MS + 1).toBe(60);
  });

  it('30d with 8h tiles: from 30 days before 08:00 + 8h', () => {
    const range = windowAt(t, 30 * DAY_MS, 8 * HOUR_MS);
    expect(new Date(range.fromMs).toISOString()).toBe('2026-11-06T16:00:00.000Z');
  });
});

describe('partial aggregates and final values', () => {
  // Events: (t=1000, 4), (t=3000, 2), (t=2000, 9), (t=3000, 5): count 4, sum 20, min 2, max 9,
  // last = the t=3000 event with the larger value (5).
  const events = [
    partialOfEvent(1000, 4),
    partialOfEvent(3000, 2),
    partialOfEvent(2000, 9),
    partialOfEvent(3000, 5),
  ];
  const merged = events.reduce(mergePartials, EMPTY_PARTIAL);

  it('merges counts, sums, extremes and the newest value', () => {
    expect(merged).toEqual({ count: 4, sum: 20, min: 2, max: 9, lastValue: 5, lastTimeMs: 3000 });
  });

  it('gives the same result in any merge order', () => {
    const reversed = [...events].reverse().reduce(mergePartials, EMPTY_PARTIAL);
    const split = mergePartials(mergePartials(events[3]!, events[0]!), mergePartials(events[2]!, events[1]!));
    expect(reversed).toEqual(merged);
    expect(split).toEqual(merged);
  });

  it('final values: mean 20/4 = 5; time_since_last (4500 − 3000) / 1000 = 1.5 s', () => {
    expect(finalValue('count', merged, 4500)).toBe(4);
    expect(finalValue('sum', merged, 4500)).toBe(20);
    expect(finalValue('mean', merged, 4500)).toBe(5);
    expect(finalValue('min', merged, 4500)).toBe(2);
    expect(finalValue('max', merged, 4500)).toBe(9);
    expect(finalValue('last', merged, 4500)).toBe(5);
    expect(finalValue('time_since_last', merged, 4500)).toBe(1.5);
    expect(finalValue('time_since_last', merged, 2000)).toBe(0); // never negative
  });

  it('an empty window: count and sum are 0, the others have no value', () => {
    expect(finalValue('count', EMPTY_PARTIAL, 1)).toBe(0);
    expect(finalValue('sum', EMPTY_PARTIAL, 1)).toBe(0);
    for (const fn of ['mean', 'min', 'max', 'last', 'time_since_last'] as const) {
      expect(finalValue(fn, EMPTY_PARTIAL, 1)).toBeUndefined();
    }
  });

  it('the reference computation from raw events skips null values unless counting', () => {
    const t = at('2026-12-06T10:30:20.000Z');
    const raw = [
      { eventTimeMs: at('2026-12-06T10:00:00.000Z'), value: 3 },
      { eventTimeMs: at('2026-12-06T10:10:00.000Z'), value: null },
      { eventTimeMs: at('2026-12-06T09:00:00.000Z'), value: 100 }, // outside 1h
    ];
    expect(aggregateWindow(raw, t, HOUR_MS, MINUTE_MS, true).count).toBe(2);
    expect(aggregateWindow(raw, t, HOUR_MS, MINUTE_MS, false)).toEqual({
      count: 1,
      sum: 3,
      min: 3,
      max: 3,
      lastValue: 3,
      lastTimeMs: at('2026-12-06T10:00:00.000Z'),
    });
  });
});

describe('accepted event times and retention', () => {
  it('refuses events beyond the skew bound or older than longest window + lateness', () => {
    const now = 100 * DAY_MS;
    const bounds = eventTimeBounds(now, 30 * DAY_MS, DAY_MS, 5 * MINUTE_MS);
    expect(bounds).toEqual({ oldestMs: 69 * DAY_MS, newestMs: now + 5 * MINUTE_MS });
  });

  it('keeps raw events at least as long as an event can still be accepted', () => {
    expect(eventRetentionMs(0, 30 * DAY_MS, DAY_MS, 5 * MINUTE_MS)).toBe(31 * DAY_MS + 5 * MINUTE_MS);
    expect(eventRetentionMs(400 * DAY_MS, 30 * DAY_MS, DAY_MS, 5 * MINUTE_MS)).toBe(400 * DAY_MS);
  });
});
