/**
 * Test fixture (not shipped): a stand-in model-server for the tracing test. Telemetry is started
 * by its first import (the other supported way). Score fetches features from FEATURE_SERVICE_ADDRESS,
 * then waits in a small batcher that computes up to BATCH_MAX requests together, tracing each batch
 * with `startBatchSpan`, as the real model-server's batcher does.
 */
import '../register';
import type * as grpc from '@grpc/grpc-js';
import { SERVICE_NAMES, createFeatureServiceClient, scoringServiceDefinition } from '@tally/contracts';
import type { feature } from '@tally/contracts';
import { env, runService, serverConfigSpec, service, unimplementedHandlers } from '@tally/grpc-kit';
import { captureEnqueue, startBatchSpan } from '../batch-tracing';
import type { EnqueuedRequestTrace } from '../batch-tracing';
import { shutdownTelemetry } from '../start-telemetry';
import { withSpan } from '../spans';

const spec = {
  ...serverConfigSpec({ grpcPort: 0, metricsPort: 0 }),
  FEATURE_SERVICE_ADDRESS: env.address('The fixture feature-service.', undefined),
  BATCH_MAX: env.integer('Largest batch.', 4, 1, 64),
  BATCH_DELAY_MS: env.integer('Longest wait for a batch to fill (ms).', 30, 0, 1000),
};

interface Queued {
  trace: EnqueuedRequestTrace;
  values: number[];
  resolve: (score: number) => void;
}

/** A minimal batcher: flushes when BATCH_MAX requests wait or BATCH_DELAY_MS after the first. */
class TinyBatcher {
  #queue: Queued[] = [];
  #timer: NodeJS.Timeout | undefined;
  constructor(
    readonly max: number,
    readonly delayMs: number,
  ) {}

  enqueue(values: number[]): Promise<number> {
    return new Promise((resolve) => {
      this.#queue.push({ trace: captureEnqueue(), values, resolve });
      if (this.#queue.length >= this.max) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.delayMs);
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.max);
      const batchTrace = startBatchSpan(
        batch.map((q) => q.trace),
        { model: 'fixture', version: '7' },
      );
      const scores = batchTrace.run(() => batch.map((q) => q.values.reduce((a, b) => a + b, 0)));
      batchTrace.end();
      batch.forEach((q, i) => q.resolve(scores[i]!));
    }
  }
}

void runService({
  name: 'fixture-scoring-service',
  configSpec: spec,
  setup: ({ config }) => {
    const features = createFeatureServiceClient(config.FEATURE_SERVICE_ADDRESS);
    const batcher = new TinyBatcher(config.BATCH_MAX, config.BATCH_DELAY_MS);
    const fetchVector = (applicantId: number) =>
      new Promise<feature.GetFeatureVectorsResponse__Output>((resolve, reject) =>
        features.getFeatureVectors(
          { featureSet: 'fixture', entities: [{ keys: { applicant_id: { int64Value: applicantId } } }] },
          { deadline: Date.now() + 5000 },
          (err: grpc.ServiceError | null, res?: feature.GetFeatureVectorsResponse__Output) =>
            err ? reject(err) : resolve(res!),
        ),
      );
    return {
      services: [
        service(
          SERVICE_NAMES.scoring,
          scoringServiceDefinition(),
          unimplementedHandlers(scoringServiceDefinition(), {
            Score: async (request, ctx) => {
              const applicantId = Number(request.entityKeys.applicant_id?.int64Value ?? 0);
              const vectors = await withSpan('fetch features', { 'tally.feature_set': 'fixture' }, () =>
                fetchVector(applicantId),
              );
              const score = await batcher.enqueue(vectors.vectors[0]?.values ?? []);
              ctx.logger.info('scored', { request_id: request.requestId });
              return { score, model: 'fixture', version: '7', requestId: request.requestId };
            },
          }),
        ),
      ],
      close: async () => {
        features.close();
        await shutdownTelemetry(3000);
      },
    };
  },
});
