import type { RowCache } from '../cache';
import type { FeatureMetrics } from '../feature-metrics';
import type { ChangeFeed } from '../freshness';
import type { Registry } from '../registry';
import type { EventStore, OnlineStore } from '../store';

/** What the RPC handlers share. */
export interface ServiceDeps {
  readonly registry: Registry;
  readonly store: OnlineStore;
  readonly cache: RowCache;
  /** Told after every committed write, so every replica's cache forgets the changed keys. */
  readonly changes: ChangeFeed;
  /** Tiles of the event sources (same pool as `store`). */
  readonly events: EventStore;
  readonly metrics: FeatureMetrics;
  readonly limits: {
    readonly maxEntitiesPerRequest: number;
    readonly maxRowsPerWrite: number;
    readonly storeTimeoutMs: number;
  };
}

/** The name callers see for the store in UNAVAILABLE messages, e.g. "online store (mysql)". */
export function storeName(deps: Pick<ServiceDeps, 'store'>): string {
  return `online store (${deps.store.dialect})`;
}
