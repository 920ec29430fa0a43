import { SERVICE_NAMES, inferenceServiceDefinition, scoringServiceDefinition } from '@tally/contracts';
import { runService, service, unimplementedHandlers } from '@tally/grpc-kit';
import { modelServerConfigSpec } from './config';

void runService({
  name: 'model-server',
  configSpec: modelServerConfigSpec,
  setup: () => ({
    services: [
      service(
        SERVICE_NAMES.scoring,
        scoringServiceDefinition(),
        unimplementedHandlers(scoringServiceDefinition()),
      ),
      service(
        SERVICE_NAMES.inference,
        inferenceServiceDefinition(),
        unimplementedHandlers(inferenceServiceDefinition()),
      ),
    ],
  }),
});
