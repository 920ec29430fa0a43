import { env } from './config';
import { LOG_LEVELS } from './logger';
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
    GRPC_MAX_CONNECTION_AGE_MS: env.integer(
      'Longest a client connection lives before the server asks the client to reconnect (GOAWAY; grpc-js adds ±10% jitter), so round_robin clients spread over pods that started after them. 0 = connections live forever.',
      300000,
      0,
      86400000,
    ),
    GRPC_MAX_CONNECTION_AGE_GRACE_MS: env.integer(
      'After GRPC_MAX_CONNECTION_AGE_MS, how long calls already running on the old connection may take before it is closed (ms).',
      30000,
      0,
      3600000,
    ),
    LOG_LEVEL: env.oneOf<LogLevel>('Lowest level written to the JSON log.', 'info', LOG_LEVELS),
  };
}
