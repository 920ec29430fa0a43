import { SERVICE_NAMES, featureServiceDefinition } from '@tally/contracts';
import { runService, service, unimplementedHandlers } from '@tally/grpc-kit';
import { featureServiceConfigSpec } from './config';

void runService({
  name: 'feature-service',
  configSpec: featureServiceConfigSpec,
  setup: () => ({
    services: [
      service(
        SERVICE_NAMES.feature,
        featureServiceDefinition(),
        unimplementedHandlers(featureServiceDefinition()),
      ),
    ],
  }),
});
