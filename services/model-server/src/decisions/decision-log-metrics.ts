import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

const COMMIT_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Metrics of the decision log: the write-ahead file, its bound and the shipping to the database. */
export class DecisionLogMetrics {
  readonly appended: Counter<'outcome'>;
  readonly groupCommitSeconds: Histogram;
  readonly groupRecords: Histogram;
  readonly unshippedBytes: Gauge;
  readonly maxBytes: Gauge;
  readonly shipped: Counter;
  readonly shipFailures: Counter;
  readonly tornTails: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.appended = new Counter({
      name: 'tally_decision_log_appends_total',
      help: 'Decision records appended to the write-ahead file, by outcome (durable, failed: the Score was answered UNAVAILABLE).',
      labelNames: ['outcome'],
      registers,
    });
    this.groupCommitSeconds = new Histogram({
      name: 'tally_decision_log_group_commit_seconds',
      help: 'Write plus fdatasync time of one group of decision records.',
      buckets: COMMIT_BUCKETS_S,
      registers,
    });
    this.groupRecords = new Histogram({
      name: 'tally_decision_log_group_records',
      help: 'Records made durable by one fdatasync.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024],
      registers,
    });
    this.unshippedBytes = new Gauge({
      name: 'tally_decision_log_unshipped_bytes',
      help: 'Bytes of decision records on local disk not yet in the database (bounded by DECISION_LOG_MAX_BYTES).',
      registers,
    });
    this.maxBytes = new Gauge({
      name: 'tally_decision_log_max_bytes',
      help: 'The bound on unshipped bytes (DECISION_LOG_MAX_BYTES); at it Score answers UNAVAILABLE.',
      registers,
    });
    this.shipped = new Counter({
      name: 'tally_decision_log_shipped_total',
      help: 'Decision records written to the database (replays of already stored records included).',
      registers,
    });
    this.shipFailures = new Counter({
      name: 'tally_decision_log_ship_failures_total',
      help: 'Batches that could not be written to the database (retried with backoff; records stay on disk).',
      registers,
    });
    this.tornTails = new Counter({
      name: 'tally_decision_log_torn_tails_total',
      help: 'Segments whose tail was torn or corrupt when replayed (records never acknowledged).',
      registers,
    });
  }
}
