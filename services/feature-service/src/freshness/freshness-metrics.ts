import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** Metrics of the cache-invalidation channel. */
export class FreshnessMetrics {
  readonly invalidatedKeys: Counter<'origin'>;
  readonly cacheClears: Counter;
  readonly channelFresh: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.invalidatedKeys = new Counter({
      name: 'tally_feature_cache_invalidated_keys_total',
      help: 'Cache keys invalidated, by origin (local: a write on this replica | remote: a message from another replica).',
      labelNames: ['origin'],
      registers,
    });
    this.cacheClears = new Counter({
      name: 'tally_feature_cache_clears_total',
      help: 'Whole-cache clears after the invalidation channel was degraded (invalidations may have been missed).',
      registers,
    });
    this.channelFresh = new Gauge({
      name: 'tally_feature_change_feed_fresh',
      help: '1 while every invalidation is known to arrive (cached entries served to their TTL), 0 while degraded (entries served at most 750 ms after their read started).',
      registers,
    });
  }
}
