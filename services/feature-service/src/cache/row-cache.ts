import { LRUCache } from 'lru-cache';
import type { FeatureView } from '../registry';
import { keyText } from '../store';
import type { EntityKey, StoredRow } from '../store';

/** A store read that did not answer in time. */
export class StoreTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`no answer within ${Math.max(0, Math.round(waitedMs))} ms`);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * A cached answer: the row, or null for "the store has no row for this entity" (negative results
 * are cached too), and when the store read that produced it started (`performance.now()` ms).
 */
interface Cached {
  readonly row: StoredRow | null;
  readonly readStartedAt: number;
}

export interface RowCacheOptions {
  /** Entries kept at most; 0 disables caching (concurrent reads are still coalesced). */
  readonly maxEntries: number;
  readonly ttlMs: number;
  /** Counts lookups: `hit` served from the cache, otherwise a miss (coalesced or read from the store). */
  readonly onLookup?: (view: string, outcome: 'hit' | 'miss', count: number) => void;
  /**
   * How old (ms since its store read started) a cached entry may be to be served right now; asked
   * once per read. A change feed lowers it while it cannot vouch that no invalidation was missed.
   * Default: no limit besides the TTL.
   */
  readonly maxEntryAgeMs?: () => number;
}

/** What a read returns: rows by key text (null = no row), and the keys that could not be read. */
export interface CachedRead {
  readonly rows: Map<string, StoredRow | null>;
  readonly failed: Map<string, unknown>;
}

/** Loads the rows of `keys` from the store in one query. */
export type RowLoader = (view: FeatureView, keys: readonly EntityKey[]) => Promise<Map<string, StoredRow>>;

/**
 * Stored rows by (view, entity key), bounded and with a TTL, in front of the online store. Concurrent
 * misses for one key share one store read; the misses of one call become one batched read. A local
 * write invalidates its keys, and a read that started before the write cannot put the old row back.
 */
export class RowCache {
  readonly #cache: LRUCache<string, Cached> | undefined;
  readonly #inFlight = new Map<string, Promise<StoredRow | null>>();
  readonly #onLookup: RowCacheOptions['onLookup'];
  readonly #maxEntryAgeMs: () => number;

  constructor(options: RowCacheOptions) {
    this.#cache =
      options.maxEntries > 0
        ? new LRUCache<string, Cached>({ max: options.maxEntries, ttl: options.ttlMs })
        : undefined;
    this.#onLookup = options.onLookup;
    this.#maxEntryAgeMs = options.maxEntryAgeMs ?? (() => Infinity);
  }

  get size(): number {
    return this.#cache?.size ?? 0;
  }

  /** Rows of `view` for `keys`: from the cache, from reads already in flight, or one new store read. */
  /**
   * Keys still unread after `waitMs` are reported in `failed` (the read itself goes on and fills
   * the cache for later calls).
   */
  async read(
    view: FeatureView,
    keys: readonly EntityKey[],
    load: RowLoader,
    waitMs: number,
  ): Promise<CachedRead> {
    const rows = new Map<string, StoredRow | null>();
    const waiting = new Map<string, Promise<StoredRow | null>>();
    const toLoad: EntityKey[] = [];
    const startedAt = performance.now();
    const oldestServed = startedAt - this.#maxEntryAgeMs();
    for (const key of keys) {
      const text = keyText(key);
      if (rows.has(text) || waiting.has(text)) continue;
      const cacheKey = `${view.name}\u0000${text}`;
      const cached = this.#cache?.get(cacheKey);
      if (cached !== undefined && cached.readStartedAt >= oldestServed) {
        rows.set(text, cached.row);
        continue;
      }
      const pending = this.#inFlight.get(cacheKey);
      if (pending !== undefined) waiting.set(text, pending);
      else toLoad.push(key);
    }
    this.#onLookup?.(view.name, 'hit', rows.size);
    this.#onLookup?.(view.name, 'miss', waiting.size + toLoad.length);

    if (toLoad.length > 0) {
      const batch = load(view, toLoad);
      for (const key of toLoad) {
        const text = keyText(key);
        const cacheKey = `${view.name}\u0000${text}`;
        const mine: Promise<StoredRow | null> = batch.then((found) => found.get(text) ?? null);
        mine.then(
          (row) => {
            if (this.#inFlight.get(cacheKey) !== mine) return; // invalidated meanwhile
            this.#inFlight.delete(cacheKey);
            this.#cache?.set(cacheKey, { row, readStartedAt: startedAt });
          },
          () => {
            if (this.#inFlight.get(cacheKey) === mine) this.#inFlight.delete(cacheKey);
          },
        );
        this.#inFlight.set(cacheKey, mine);
        waiting.set(text, mine);
      }
    }

    const failed = new Map<string, unknown>();
    if (waiting.size === 0) return { rows, failed };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeoutError(waitMs)), Math.max(0, waitMs));
    });
    timeout.catch(() => undefined);
    const settled = await Promise.allSettled([...waiting.values()].map((p) => Promise.race([p, timeout])));
    clearTimeout(timer);
    [...waiting.keys()].forEach((text, i) => {
      const outcome = settled[i]!;
      if (outcome.status === 'fulfilled') rows.set(text, outcome.value);
      else failed.set(text, outcome.reason);
    });
    return { rows, failed };
  }

  /** Forgets `keys` of `view`, including reads in flight (they will not fill the cache). */
  invalidate(view: FeatureView, keys: readonly EntityKey[]): void {
    this.invalidateKeys(
      view.name,
      keys.map((key) => keyText(key)),
    );
  }

  /** Forgets the entries of `name` (a view) for keys given as `keyText`, including reads in flight. */
  invalidateKeys(name: string, keyTexts: readonly string[]): void {
    for (const text of keyTexts) {
      const cacheKey = `${name}\u0000${text}`;
      this.#cache?.delete(cacheKey);
      this.#inFlight.delete(cacheKey);
    }
  }

  /** Forgets everything, including reads in flight (they will not fill the cache). */
  clear(): void {
    this.#cache?.clear();
    this.#inFlight.clear();
  }
}
