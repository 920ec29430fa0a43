import { serverConfigSpec } from '@tally/grpc-kit';

/**
 * Every environment variable the model-server reads. This object is the single source of truth:
 * the README's configuration table, the Helm chart and docker-compose are checked against it.
 */
export const modelServerConfigSpec = {
  ...serverConfigSpec({ grpcPort: 50052, metricsPort: 9102 }),
};
