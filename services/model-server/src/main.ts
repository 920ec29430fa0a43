// Tracing starts before anything else loads (the gRPC instrumentation must patch @grpc/grpc-js first).
import '@tally/telemetry/register';
import { SERVICE_NAMES, inferenceServiceDefinition, scoringServiceDefinition } from '@tally/contracts';
import { runService, service } from '@tally/grpc-kit';
import type { TallyServer } from '@tally/grpc-kit';
import { shutdownTelemetry } from '@tally/telemetry';
import { inferenceHandlers } from './api/inference-service';
import { scoringHandlers } from './api/repository-control';
import { modelServerConfigSpec } from './config';
import { ModelServerMetrics } from './metrics/model-server-metrics';
import { FeatureFetcher, ScoreService } from './scoring';
import { FeatureServiceWidthSource } from './serving/feature-set-source';
import { modelHealthSource } from './serving/model-health';
import { ModelRegistry } from './serving/model-registry';
import { SERVER_NAME, SERVER_VERSION } from './server-identity';

void runService({
  name: 'model-server',
  configSpec: modelServerConfigSpec,
  setup: ({ config, logger, metrics }) => {
    let server: TallyServer | undefined;
    const registry = new ModelRegistry({
      repository: config.MODEL_REPOSITORY,
      logger,
      metrics: new ModelServerMetrics(metrics.registry),
      featureSets:
        config.FEATURE_SERVICE_ADDR === ''
          ? undefined
          : new FeatureServiceWidthSource(config.FEATURE_SERVICE_ADDR, config.FEATURE_CHECK_TIMEOUT_MS),
      intraOpThreads: config.INFERENCE_INTRA_OP_THREADS,
      // Health is NOT_SERVING while a configured model has no READY version (see model-health.ts).
      onStateChange: () => server?.refreshHealth(),
    });
    const features =
      config.FEATURE_SERVICE_ADDR === '' ? undefined : new FeatureFetcher(config.FEATURE_SERVICE_ADDR);
    const scoring = new ScoreService({ registry, features, maxBatchItems: config.MAX_SCORE_BATCH_ITEMS });
    let started = false;
    return {
      services: [
        service(SERVICE_NAMES.scoring, scoringServiceDefinition(), {
          ...scoringHandlers(registry),
          ...scoring.handlers(),
        }),
        service(
          SERVICE_NAMES.inference,
          inferenceServiceDefinition(),
          inferenceHandlers({
            registry,
            serverName: SERVER_NAME,
            serverVersion: SERVER_VERSION,
            isStarted: () => started,
          }),
        ),
      ],
      onListening: async (listening) => {
        server = listening;
        listening.setHealthSource(modelHealthSource(registry));
        logger.info('loading models', { repository: registry.repository });
        await registry.loadAll();
        started = true;
        logger.info('models loaded', {
          models: registry.list().map((m) => ({
            name: m.name,
            versions: m.versions.map((v) => `${v.version}:${v.state.replace('MODEL_VERSION_STATE_', '')}`),
          })),
        });
      },
      // After the server has drained: every in-flight Score has its features and its score.
      close: async () => {
        await registry.close();
        features?.close();
        await shutdownTelemetry();
      },
    };
  },
});
