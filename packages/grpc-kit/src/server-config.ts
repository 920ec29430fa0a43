import { env } from './config';
import { LOG_LEVELS } from './logger';
import { securityConfigSpec } from './security-config';
import type { LogLevel } from './logger';

/** The variables every Tally gRPC service reads, with per-service default ports. */
export function serverConfigSpec(defaults: { grpcPort: number; metricsPort: number }) {
  return {
    GRPC_HOST: env.string('Interface the gRPC server binds to.', '0.0.0.0', 'an IP address or host name'),
    GRPC_PORT: env.port('Port of the gRPC server.', defaults.grpcPort, 'any free port'),
    METRICS_PORT: env.port(
      'Port of the Prometheus metrics endpoint (/metrics).',
      defaults.metricsPort,
      'disabled',
    ),
    SHUTDOWN_GRACE_MS: env.integer(
      'On SIGTERM/SIGINT, how long in-flight calls may take to finish before the server forces its way down (ms).',
      10000,
      0,
      600000,
    ),
    LOG_LEVEL: env.oneOf<LogLevel>('Lowest level written to the JSON log.', 'info', LOG_LEVELS),
    ...securityConfigSpec,
  };
}
