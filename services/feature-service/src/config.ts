import { serverConfigSpec } from '@tally/grpc-kit';

/**
 * Every environment variable the feature-service reads. This object is the single source of truth:
 * the README's configuration table, the Helm chart and docker-compose are checked against it.
 */
export const featureServiceConfigSpec = {
  ...serverConfigSpec({ grpcPort: 50051, metricsPort: 9101 }),
};
