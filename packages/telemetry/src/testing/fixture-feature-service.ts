/**
 * Test fixture (not shipped): a stand-in feature-service for the tracing test. It is started with
 * `node --require dist/register.js`, the preload way of starting telemetry. GetFeatureVectors
 * answers one vector per entity, made from its applicant_id, inside "cache lookup" and
 * "store query" spans like the real service's.
 */
import { SERVICE_NAMES, featureServiceDefinition } from '@tally/contracts';
import { runService, serverConfigSpec, service, unimplementedHandlers } from '@tally/grpc-kit';
import { shutdownTelemetry } from '../start-telemetry';
import { withSpan } from '../spans';

void runService({
  name: 'fixture-feature-service',
  configSpec: serverConfigSpec({ grpcPort: 0, metricsPort: 0 }),
  setup: () => ({
    services: [
      service(
        SERVICE_NAMES.feature,
        featureServiceDefinition(),
        unimplementedHandlers(featureServiceDefinition(), {
          GetFeatureVectors: async (request, ctx) => {
            const ids = request.entities.map((e) => Number(e.keys.applicant_id?.int64Value ?? 0));
            await withSpan('cache lookup', { 'tally.entities': ids.length }, () => undefined);
            const vectors = await withSpan('store query', { 'tally.entities': ids.length }, async () => {
              await new Promise((resolve) => setTimeout(resolve, 1));
              return ids.map((id) => ({ values: [id, id / 100], statuses: [], eventTimesUnixMs: [] }));
            });
            ctx.logger.info('vectors served', { entities: ids.length });
            return {
              featureSet: request.featureSet,
              columns: ['id', 'id_scaled'],
              vectors,
              featureSetFingerprint: 'fixture',
            };
          },
        }),
      ),
    ],
    close: async () => {
      await shutdownTelemetry(3000);
    },
  }),
});
