import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The feature-service's own Prometheus metrics, on the service's registry. */
export class FeatureMetrics {
  readonly cacheLookups: Counter<'view' | 'outcome'>;
  readonly storeQueryDuration: Histogram<'operation' | 'dialect' | 'outcome'>;
  readonly rowsWritten: Counter<'view' | 'outcome'>;
  readonly valuesServed: Counter<'feature_set' | 'status'>;
  readonly eventsWritten: Counter<'source' | 'outcome'>;
  readonly eventsSwept: Counter<'source' | 'kind'>;
  readonly eventDeadlockRetries: Counter<'source'>;
  readonly writeDeadlockRetries: Counter<'view'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.cacheLookups = new Counter({
      name: 'tally_feature_cache_lookups_total',
      help: 'Row cache lookups by view and outcome (hit | miss); hit ratio = hit / (hit + miss).',
      labelNames: ['view', 'outcome'],
      registers,
    });
    this.storeQueryDuration = new Histogram({
      name: 'tally_feature_store_query_duration_seconds',
      help: 'Duration of online store statements by operation (read | write | other), dialect and outcome (ok | error).',
      labelNames: ['operation', 'dialect', 'outcome'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.rowsWritten = new Counter({
      name: 'tally_feature_rows_written_total',
      help: 'Rows received by WriteFeatureRows, by view and outcome (written | ignored_older).',
      labelNames: ['view', 'outcome'],
      registers,
    });
    this.valuesServed = new Counter({
      name: 'tally_feature_values_served_total',
      help: 'Vector values served, by feature set and status (present, missing_defaulted, stale_defaulted, ...).',
      labelNames: ['feature_set', 'status'],
      registers,
    });
    this.eventsWritten = new Counter({
      name: 'tally_feature_events_written_total',
      help: 'Events stored by any ingestion path, by event source and outcome (written | duplicate).',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.eventsSwept = new Counter({
      name: 'tally_feature_events_swept_total',
      help: 'Expired rows deleted by the sweep, by event source and kind (tiles | events).',
      labelNames: ['source', 'kind'],
      registers,
    });
    this.eventDeadlockRetries = new Counter({
      name: 'tally_feature_event_deadlock_retries_total',
      help: 'Event write transactions run again after MySQL chose them as a deadlock victim, by event source.',
      labelNames: ['source'],
      registers,
    });
    this.writeDeadlockRetries = new Counter({
      name: 'tally_feature_write_deadlock_retries_total',
      help: 'WriteFeatureRows transactions run again because the store reported a deadlock, by view.',
      labelNames: ['view'],
      registers,
    });
  }
}
