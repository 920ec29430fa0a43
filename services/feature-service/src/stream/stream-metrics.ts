import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** Metrics of the event stream consumer. */
export class StreamMetrics {
  readonly messages: Counter<'source' | 'outcome'>;
  readonly batchSize: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.messages = new Counter({
      name: 'tally_feature_stream_messages_total',
      help: 'Stream messages by event source and outcome: written, duplicate (already stored), dead_lettered (poison, set aside), retried (store unavailable: delivered again later).',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'tally_feature_stream_batch_size',
      help: 'Messages handed to the consumer per fetch.',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
      registers,
    });
  }
}
