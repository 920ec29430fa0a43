// Tracing starts before anything else loads (the gRPC instrumentation must patch @grpc/grpc-js first).
import '@tally/telemetry/register';
import { SERVICE_NAMES, featureServiceDefinition } from '@tally/contracts';
import { runService, service } from '@tally/grpc-kit';
import { shutdownTelemetry } from '@tally/telemetry';
import { RowCache } from './cache';
import { featureServiceConfigSpec } from './config';
import { FeatureMetrics } from './feature-metrics';
import { FreshnessMetrics, LocalChangeFeed, NatsChangeFeed } from './freshness';
import type { ReplicaChangeFeed } from './freshness';
import { EventSweeper, EventWriter } from './events';
import {
  describeFeatureSet,
  getFeatureVectors,
  listFeatureSets,
  writeEvents,
  writeFeatureRows,
} from './handlers';
import type { ServiceDeps } from './handlers';
import { loadRegistry } from './registry';
import { StreamMetrics, startEventStream } from './stream';
import { EventStore, OnlineStore, describeStoreTarget } from './store';

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
      event_sources: [...registry.eventSources.keys()],
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
    const changes: ReplicaChangeFeed = config.NATS_URL
      ? NatsChangeFeed.start({
          servers: config.NATS_URL,
          subjectPrefix: config.CACHE_CHANGES_SUBJECT,
          logger,
          metrics: new FreshnessMetrics(metrics.registry),
        })
      : new LocalChangeFeed();
    if (!config.NATS_URL)
      logger.info('no NATS_URL: writes invalidate this replica only', { cache_ttl_ms: config.CACHE_TTL_MS });
    const cache = new RowCache({
      maxEntries: config.CACHE_MAX_ENTRIES,
      ttlMs: config.CACHE_TTL_MS,
      onLookup: (view, outcome, count) => {
        if (count > 0) featureMetrics.cacheLookups.inc({ view, outcome }, count);
      },
      maxEntryAgeMs: () => changes.maxEntryAgeMs(),
    });
    changes.addTarget(cache);
    const events = new EventStore(store.db, store.dialect, (source) =>
      featureMetrics.eventDeadlockRetries.inc({ source }),
    );
    const eventLimits = {
      maxEventsPerWrite: config.MAX_EVENTS_PER_WRITE,
      allowedLatenessMs: config.EVENT_ALLOWED_LATENESS_MS,
      maxFutureMs: config.EVENT_MAX_FUTURE_MS,
    };
    const eventWriter = new EventWriter({
      registry,
      store: events,
      limits: eventLimits,
      onWritten: (source, result) => {
        featureMetrics.eventsWritten.inc({ source: source.name, outcome: 'written' }, result.written);
        featureMetrics.eventsWritten.inc({ source: source.name, outcome: 'duplicate' }, result.duplicates);
      },
    });
    const sweeper = new EventSweeper({
      registry,
      store: events,
      intervalMs: config.EVENT_SWEEP_INTERVAL_MS,
      maxRows: config.EVENT_SWEEP_MAX_ROWS,
      allowedLatenessMs: config.EVENT_ALLOWED_LATENESS_MS,
      maxFutureMs: config.EVENT_MAX_FUTURE_MS,
      onSwept: (source, deleted) => {
        featureMetrics.eventsSwept.inc({ source, kind: 'tiles' }, deleted.tiles);
        featureMetrics.eventsSwept.inc({ source, kind: 'events' }, deleted.events);
        if (deleted.tiles + deleted.events > 0)
          logger.info('expired event state deleted', { source, ...deleted });
      },
      onError: (source, err) =>
        logger.warn('event sweep failed; retried at the next interval', {
          source,
          error: err instanceof Error ? err.message : String(err),
        }),
    });
    sweeper.start();
    if (config.EVENTS_DEAD_LETTER_SUBJECT.startsWith(`${config.EVENTS_SUBJECT_PREFIX}.`)) {
      throw new Error(
        `EVENTS_DEAD_LETTER_SUBJECT=${config.EVENTS_DEAD_LETTER_SUBJECT} lies under EVENTS_SUBJECT_PREFIX=${config.EVENTS_SUBJECT_PREFIX}: poison messages would be consumed again`,
      );
    }
    const eventStream =
      config.NATS_URL && config.EVENTS_CONSUMER_ENABLED
        ? startEventStream(
            {
              servers: config.NATS_URL,
              stream: config.EVENTS_STREAM,
              subjectPrefix: config.EVENTS_SUBJECT_PREFIX,
              consumer: config.EVENTS_CONSUMER,
              deadLetterSubject: config.EVENTS_DEAD_LETTER_SUBJECT,
              ackWaitMs: config.EVENTS_ACK_WAIT_MS,
              batchSize: Math.min(config.EVENTS_BATCH_SIZE, config.MAX_EVENTS_PER_WRITE),
              retryDelayMs: config.EVENTS_RETRY_DELAY_MS,
            },
            eventWriter,
            logger,
            new StreamMetrics(metrics.registry),
          )
        : undefined;
    const deps: ServiceDeps = {
      registry,
      store,
      cache,
      changes,
      events,
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
          WriteEvents: (request, ctx) => writeEvents(eventWriter, request, ctx),
          ListFeatureSets: () => listFeatureSets(registry),
          DescribeFeatureSet: (request) => describeFeatureSet(registry, request.name),
        }),
      ],
      close: async () => {
        await eventStream?.stop();
        await changes.close();
        await sweeper.stop();
        await store.close();
        await shutdownTelemetry();
      },
    };
  },
});
