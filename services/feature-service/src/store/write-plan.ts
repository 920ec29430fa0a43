import type { EntityKey, RowToWrite } from './online-store';

/** The string form of a key, used to match rows to requests and as the cache key. */
export function keyText(key: EntityKey): string {
  return typeof key === 'number' ? String(key) : key;
}

/**
 * One total order of keys that every writer uses, so two transactions never lock the same rows in
 * opposite orders: ints numerically, strings by their UTF-8 bytes (the order of the binary columns
 * string keys are stored in).
 */
export function compareKeys(a: EntityKey, b: EntityKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return Buffer.compare(Buffer.from(keyText(a), 'utf8'), Buffer.from(keyText(b), 'utf8'));
}

/** The distinct keys of `rows`, in `compareKeys` order. */
export function sortedKeys(rows: readonly RowToWrite[]): EntityKey[] {
  const byText = new Map<string, EntityKey>();
  for (const row of rows) byText.set(keyText(row.key), row.key);
  return [...byText.values()].sort(compareKeys);
}

/** What one write will do, decided from the stored event times while the rows are locked. */
export interface WritePlan {
  /** The row each changed entity ends with (at most one per key), in `compareKeys` order. */
  readonly winners: RowToWrite[];
  /** Rows that became the stored state of their entity, in request order. */
  readonly written: number;
  /** Rows ignored because the store (or an earlier row of the batch) held the same or a newer time. */
  readonly ignoredOlder: number;
}

/**
 * Applies newest-wins to a batch in request order against `stored` (key text → stored event time;
 * absent = no row): a row counts as written when it is newer than everything before it for its
 * entity, so a batch holding one entity twice counts each row exactly once. Only the last winner of
 * each entity is sent to the store.
 */
export function planWrite(rows: readonly RowToWrite[], stored: ReadonlyMap<string, number>): WritePlan {
  const newest = new Map<string, RowToWrite>();
  let written = 0;
  for (const row of rows) {
    const text = keyText(row.key);
    const current = newest.get(text)?.eventTimeMs ?? stored.get(text);
    if (current === undefined || row.eventTimeMs > current) {
      newest.set(text, row);
      written += 1;
    }
  }
  const winners = [...newest.values()].sort((a, b) => compareKeys(a.key, b.key));
  return { winners, written, ignoredOlder: rows.length - written };
}
