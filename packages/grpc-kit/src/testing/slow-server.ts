/**
 * A fixture service for grpc-kit's own tests: FeatureService whose ListFeatureSets takes SLOW_MS
 * milliseconds, so a test can SIGTERM the process while a call is in flight.
 */
import { SERVICE_NAMES, featureServiceDefinition } from '@tally/contracts';
import { env } from '../config';
import { runService } from '../run-service';
import { serverConfigSpec } from '../server-config';
import { service } from '../tally-server';
import { unimplementedHandlers } from '../unimplemented';

const spec = {
  ...serverConfigSpec({ grpcPort: 0, metricsPort: 0 }),
  SLOW_MS: env.integer('How long ListFeatureSets takes (ms).', 1000, 0, 60000),
};

void runService({
  name: 'slow-server',
  configSpec: spec,
  setup: ({ config }) => ({
    services: [
      service(
        SERVICE_NAMES.feature,
        featureServiceDefinition(),
        unimplementedHandlers(featureServiceDefinition(), {
          ListFeatureSets: async (_request, ctx) => {
            ctx.logger.info('slow call started');
            await new Promise((resolve) => setTimeout(resolve, config.SLOW_MS));
            return { featureSets: [{ name: 'slow', description: 'finished after the delay', width: 0 }] };
          },
        }),
      ),
    ],
  }),
});
