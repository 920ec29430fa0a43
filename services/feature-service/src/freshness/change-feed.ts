import type { EntityKey } from '../store';

/**
 * What a write path calls after its transaction committed: WriteFeatureRows for feature views, the
 * event writer for event sources. The feed drops the local cache entries at once and tells every
 * other replica, which drop theirs.
 */
export interface ChangeFeed {
  /** `name` (a feature view or an event source) changed for `keys`. Never throws, never waits. */
  published(name: string, keys: readonly EntityKey[]): void;
}

/** A cache a change feed keeps fresh (RowCache is one). */
export interface InvalidationTarget {
  /** Forgets the entries of `name` for keys given in their text form (`keyText`). */
  invalidateKeys(name: string, keyTexts: readonly string[]): void;
  /** Forgets everything: used when invalidations may have been missed. */
  clear(): void;
}

/** A change feed as the service runs it: it also says how old a cached entry may be served. */
export interface ReplicaChangeFeed extends ChangeFeed {
  /**
   * How old (ms since its store read started) a cached entry may be to be served now: unlimited
   * while every invalidation is known to arrive, DEGRADED_MAX_ENTRY_AGE_MS while that is not sure.
   */
  maxEntryAgeMs(): number;
  /** Caches to invalidate; add them before the first write. */
  addTarget(target: InvalidationTarget): void;
  close(): Promise<void>;
}

/**
 * While a replica cannot vouch that it receives every invalidation, it serves no cached entry whose
 * store read started longer ago than this, so a write acknowledged anywhere is seen within 1 s.
 */
export const DEGRADED_MAX_ENTRY_AGE_MS = 750;
