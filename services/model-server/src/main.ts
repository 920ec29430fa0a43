import { SERVICE_NAMES, inferenceServiceDefinition, scoringServiceDefinition } from '@tally/contracts';
import { runService, service } from '@tally/grpc-kit';
import { inferenceHandlers } from './api/inference-service';
import { scoringHandlers } from './api/repository-control';
import { modelServerConfigSpec } from './config';
import { ModelServerMetrics } from './metrics/model-server-metrics';
import { FeatureServiceWidthSource } from './serving/feature-set-source';
import { ModelRegistry } from './serving/model-registry';
import { SERVER_NAME, SERVER_VERSION } from './server-identity';

void runService({
  name: 'model-server',
  configSpec: modelServerConfigSpec,
  setup: ({ config, logger, metrics }) => {
    const registry = new ModelRegistry({
      repository: config.MODEL_REPOSITORY,
      logger,
      metrics: new ModelServerMetrics(metrics.registry),
      featureSets:
        config.FEATURE_SERVICE_ADDR === ''
          ? undefined
          : new FeatureServiceWidthSource(config.FEATURE_SERVICE_ADDR, config.FEATURE_CHECK_TIMEOUT_MS),
      intraOpThreads: config.INFERENCE_INTRA_OP_THREADS,
    });
    let started = false;
    return {
      services: [
        service(SERVICE_NAMES.scoring, scoringServiceDefinition(), scoringHandlers(registry)),
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
      onListening: async () => {
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
      close: () => registry.close(),
    };
  },
});
