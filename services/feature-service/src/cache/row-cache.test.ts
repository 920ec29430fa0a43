import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { loadRegistry } from '../registry';
import type { EntityKey, StoredRow } from '../store';
import { RowCache } from './row-cache';

const view = loadRegistry(path.join(repoRoot(), 'features/test/registry')).views.get('applicant_activity')!;
const row = (n: number): StoredRow => ({ eventTimeMs: n, values: [n] });

/** A loader over an in-memory table that records every batch it is asked for and answers when released. */
function gatedLoader(table: Map<string, StoredRow>) {
  const calls: EntityKey[][] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((r) => (release = r));
  return {
    calls,
    release: () => release(),
    reset: () => (gate = new Promise<void>((r) => (release = r))),
    load: async (_v: unknown, keys: readonly EntityKey[]) => {
      calls.push([...keys]);
      const seen = new Map([...table].filter(([k]) => keys.map(String).includes(k))); // read now…
      await gate; // …answer later
      return seen;
    },
  };
}

describe('RowCache', () => {
  it('coalesces concurrent misses into one store read and caches rows and absences', async () => {
    const lookups: Record<string, number> = { hit: 0, miss: 0 };
    const cache = new RowCache({ maxEntries: 100, ttlMs: 60000, onLookup: (_v, o, n) => (lookups[o] += n) });
    const loader = gatedLoader(new Map([['1', row(1)]]));
    const reads = [
      cache.read(view, [1, 2], loader.load, 1000),
      cache.read(view, [1, 2], loader.load, 1000),
      cache.read(view, [2, 1, 1], loader.load, 1000),
    ];
    loader.release();
    const results = await Promise.all(reads);
    expect(loader.calls).toEqual([[1, 2]]);
    for (const r of results) {
      expect(r.rows.get('1')).toEqual(row(1));
      expect(r.rows.get('2')).toBeNull();
      expect(r.failed.size).toBe(0);
    }
    const again = await cache.read(view, [1, 2], loader.load, 1000);
    expect(loader.calls).toHaveLength(1); // both the row and the absence came from the cache
    expect(again.rows.get('2')).toBeNull();
    expect(lookups).toEqual({ hit: 2, miss: 6 });
  });

  it('a write invalidates, and a read in flight during the write cannot put the old row back', async () => {
    const table = new Map([['5', row(5)]]);
    const cache = new RowCache({ maxEntries: 100, ttlMs: 60000 });
    const loader = gatedLoader(table);
    const inFlight = cache.read(view, [5], loader.load, 1000);
    table.set('5', row(6)); // the write lands while the read is in flight…
    cache.invalidate(view, [5]);
    loader.release(); // …and the read answers with what it saw before (row 5 here, from its snapshot)
    expect((await inFlight).rows.get('5')).toEqual(row(5));
    void loader.reset();
    loader.release();
    expect((await cache.read(view, [5], loader.load, 1000)).rows.get('5')).toEqual(row(6));
    expect(loader.calls).toHaveLength(2);
  });

  it('keys unanswered within the wait are reported failed; cached keys are still served', async () => {
    const cache = new RowCache({ maxEntries: 100, ttlMs: 60000 });
    const ready = gatedLoader(new Map([['1', row(1)]]));
    ready.release();
    await cache.read(view, [1], ready.load, 1000);
    const stuck = gatedLoader(new Map());
    const result = await cache.read(view, [1, 2], stuck.load, 20);
    expect(result.rows.get('1')).toEqual(row(1));
    expect([...result.failed.keys()]).toEqual(['2']);
    expect(String(result.failed.get('2'))).toMatch(/no answer within 20 ms/);
    stuck.release();
  });

  it('entries expire after the TTL', async () => {
    const cache = new RowCache({ maxEntries: 100, ttlMs: 30 });
    const loader = gatedLoader(new Map([['1', row(1)]]));
    loader.release();
    await cache.read(view, [1], loader.load, 1000);
    await new Promise((r) => setTimeout(r, 60));
    await cache.read(view, [1], loader.load, 1000);
    expect(loader.calls).toHaveLength(2);
  });

  it('serves no entry older than maxEntryAgeMs (counted from its read start) and clears on demand', async () => {
    let maxAge = Infinity;
    const cache = new RowCache({ maxEntries: 100, ttlMs: 60000, maxEntryAgeMs: () => maxAge });
    const loader = gatedLoader(new Map([['1', row(1)]]));
    loader.release();
    await cache.read(view, [1, 2], loader.load, 1000);
    await new Promise((r) => setTimeout(r, 30));
    await cache.read(view, [1, 2], loader.load, 1000);
    expect(loader.calls).toHaveLength(1);
    maxAge = 20; // degraded: the entries are ~30 ms old
    await cache.read(view, [1, 2], loader.load, 1000);
    expect(loader.calls).toHaveLength(2);
    maxAge = Infinity;
    cache.invalidateKeys(view.name, ['1']);
    await cache.read(view, [1, 2], loader.load, 1000);
    expect(loader.calls.at(-1)).toEqual([1]);
    cache.clear();
    expect(cache.size).toBe(0);
    await cache.read(view, [1, 2], loader.load, 1000);
    expect(loader.calls.at(-1)).toEqual([1, 2]);
  });
});
