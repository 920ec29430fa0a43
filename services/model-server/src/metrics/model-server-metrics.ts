import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

const LATENCY_BUCKETS_S = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

/** The model-server's own metrics, in the spirit of Triton's (request outcomes, rows vs batches, time). */
export class ModelServerMetrics {
  readonly requests: Counter<'model' | 'version' | 'outcome'>;
  readonly rows: Counter<'model' | 'version'>;
  readonly batches: Counter<'model' | 'version'>;
  readonly batchSize: Histogram<'model' | 'version'>;
  readonly queueSeconds: Histogram<'model' | 'version'>;
  readonly computeSeconds: Histogram<'model' | 'version'>;
  readonly loads: Counter<'model' | 'outcome'>;
  readonly workerDeaths: Counter<'model' | 'version'>;
  readonly versionState: Gauge<'model' | 'version' | 'state'>;
  readonly schemaCheck: Gauge<'model' | 'version' | 'state'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'tally_inference_requests_total',
      help: 'Inference requests by model, version and outcome (success or the lower-case gRPC status).',
      labelNames: ['model', 'version', 'outcome'],
      registers,
    });
    this.rows = new Counter({
      name: 'tally_inference_rows_total',
      help: 'Rows computed (the sum of batch sizes).',
      labelNames: ['model', 'version'],
      registers,
    });
    this.batches = new Counter({
      name: 'tally_inference_batches_total',
      help: 'Batches executed; rows_total / batches_total is the mean batch size.',
      labelNames: ['model', 'version'],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'tally_inference_batch_size',
      help: 'Rows per executed batch.',
      labelNames: ['model', 'version'],
      buckets: BATCH_SIZE_BUCKETS,
      registers,
    });
    this.queueSeconds = new Histogram({
      name: 'tally_inference_queue_seconds',
      help: 'Time a request waited in the batcher queue before its batch started.',
      labelNames: ['model', 'version'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    });
    this.computeSeconds = new Histogram({
      name: 'tally_inference_compute_seconds',
      help: 'ONNX Runtime compute time of one batch (inside the worker).',
      labelNames: ['model', 'version'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    });
    this.loads = new Counter({
      name: 'tally_model_loads_total',
      help: 'Model version loads by outcome (success, failure).',
      labelNames: ['model', 'outcome'],
      registers,
    });
    this.workerDeaths = new Counter({
      name: 'tally_inference_worker_deaths_total',
      help: 'Inference workers that died unexpectedly (each is replaced).',
      labelNames: ['model', 'version'],
      registers,
    });
    this.versionState = new Gauge({
      name: 'tally_model_version_state',
      help: 'Current state of each model version: 1 for its state label, 0 for the others.',
      labelNames: ['model', 'version', 'state'],
      registers,
    });
    this.schemaCheck = new Gauge({
      name: 'tally_model_schema_check',
      help: 'Schema check of each loaded model version (Score serves only PASSED): 1 for its state label, 0 for the others.',
      labelNames: ['model', 'version', 'state'],
      registers,
    });
  }
}
