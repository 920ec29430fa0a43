import { OpenLoopSchedule } from './open-loop-schedule';
import { keysForCall } from './load-spec';
import { splitLoad } from './run-load';

describe('OpenLoopSchedule', () => {
  it('spaces calls evenly from the start, whatever was sent before', () => {
    const schedule = new OpenLoopSchedule(1000, 200, 2000); // 200/s for 1 s
    expect(schedule.intervalMs).toBe(5);
    expect(schedule.scheduledAt(0)).toBe(1000);
    expect(schedule.scheduledAt(3)).toBe(1015);
    expect(schedule.totalCalls).toBe(200);
  });

  it('counts due calls by the clock and caps them at the total', () => {
    const schedule = new OpenLoopSchedule(0, 1000, 10); // 10 calls at 0,1,…,9 ms
    expect(schedule.dueBy(-1)).toBe(0);
    expect(schedule.dueBy(0)).toBe(1);
    expect(schedule.dueBy(4.5)).toBe(5);
    // a stalled sender that wakes late owes every call scheduled meanwhile
    expect(schedule.dueBy(9)).toBe(10);
    expect(schedule.dueBy(500)).toBe(10);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new OpenLoopSchedule(0, 0, 10)).toThrow(/rate/);
    expect(() => new OpenLoopSchedule(0, Number.NaN, 10)).toThrow(/rate/);
  });
});

describe('keysForCall', () => {
  it('takes consecutive keys and wraps around the plan', () => {
    expect(keysForCall({ first: 1, count: 5 }, 2, 0)).toEqual([1, 2]);
    expect(keysForCall({ first: 1, count: 5 }, 2, 2)).toEqual([5, 1]);
    expect(keysForCall({ first: 10, count: 3 }, 1, 4)).toEqual([11]);
  });
});

describe('splitLoad', () => {
  const base = {
    target: {
      kind: 'mysql' as const,
      url: '',
      tables: [],
      keys: { first: 1, count: 1 },
      entitiesPerCall: 1,
      poolSize: 1,
    },
    warmupMs: 0,
    durationMs: 1,
    callTimeoutMs: 1,
  };

  it('shares concurrency out without losing or inventing callers', () => {
    const parts = splitLoad({ ...base, mode: { kind: 'closed', concurrency: 5 } }, 2);
    expect(parts.map((p) => (p.mode.kind === 'closed' ? p.mode.concurrency : 0))).toEqual([3, 2]);
    expect(splitLoad({ ...base, mode: { kind: 'closed', concurrency: 1 } }, 2)).toHaveLength(1);
  });

  it('divides an open-loop rate evenly', () => {
    const parts = splitLoad({ ...base, mode: { kind: 'open', ratePerSec: 300, maxOutstanding: 10 } }, 3);
    expect(parts.map((p) => (p.mode.kind === 'open' ? p.mode.ratePerSec : 0))).toEqual([100, 100, 100]);
  });
});
