// Tracing starts before anything else loads (the gRPC instrumentation must patch @grpc/grpc-js first).
import '@tally/telemetry/register';
import { SERVICE_NAMES, featureServiceDefinition } from '@tally/contracts';
import { runService, service } from '@tally/grpc-kit';
import { shutdownTelemetry } from '@tally/telemetry';
import { RowCache } from './cache';
import { featureServiceConfigSpec } from './config';
import { FeatureMetrics } from './feature-metrics';
import { describeFeatureSet, getFeatureVectors, listFeatureSets, writeFeatureRows } from './handlers';
import type { ServiceDeps } from './handlers';
import { loadRegistry } from './registry';
import { OnlineStore, describeStoreTarget } from './store';

void runService({
  name: 'feature-service',
  configSpec: featureServiceConfigSpec,
  setup: async ({ config, logger, metrics }) => {
    const registry = loadRegistry(config.REGISTRY_PATH);
    logger.info('registry loaded', {
      path: config.REGISTRY_PATH,
      entities: registry.entities.size,
      feature_views: registry.views.size,
      on_demand_features: registry.onDemand.size,
      feature_sets: [...registry.featureSets.keys()],
    });
    if (registry.featureSets.size === 0)
      logger.warn('the registry declares no feature set', { path: config.REGISTRY_PATH });
    const featureMetrics = new FeatureMetrics(metrics.registry);
    const store = await OnlineStore.open(config.STORE_URL, registry, {
      poolSize: config.STORE_POOL_SIZE,
      connectTimeoutMs: Math.max(config.STORE_TIMEOUT_MS, 1000),
      onQuery: (operation, dialect, seconds, failed) =>
        featureMetrics.storeQueryDuration.observe(
          { operation, dialect, outcome: failed ? 'error' : 'ok' },
          seconds,
        ),
      onDeadlockRetry: (view) => {
        featureMetrics.writeDeadlockRetries.inc({ view });
        logger.warn('store deadlock: write retried', { view });
      },
    });
    logger.info('online store ready', { store: describeStoreTarget(config.STORE_URL) });
    const cache = new RowCache({
      maxEntries: config.CACHE_MAX_ENTRIES,
      ttlMs: config.CACHE_TTL_MS,
      onLookup: (view, outcome, count) => {
        if (count > 0) featureMetrics.cacheLookups.inc({ view, outcome }, count);
      },
    });
    const deps: ServiceDeps = {
      registry,
      store,
      cache,
      metrics: featureMetrics,
      limits: {
        maxEntitiesPerRequest: config.MAX_ENTITIES_PER_REQUEST,
        maxRowsPerWrite: config.MAX_ROWS_PER_WRITE,
        storeTimeoutMs: config.STORE_TIMEOUT_MS,
      },
    };
    const definition = featureServiceDefinition();
    return {
      services: [
        service(SERVICE_NAMES.feature, definition, {
          GetFeatureVectors: (request, ctx) => getFeatureVectors(deps, request, ctx),
          WriteFeatureRows: (request, ctx) => writeFeatureRows(deps, request, ctx),
          ListFeatureSets: () => listFeatureSets(registry),
          DescribeFeatureSet: (request) => describeFeatureSet(registry, request.name),
        }),
      ],
      close: async () => {
        await store.close();
        await shutdownTelemetry();
      },
    };
  },
});
