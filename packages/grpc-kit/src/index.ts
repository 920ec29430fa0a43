export {
  TallyError,
  InvalidArgumentError,
  NotFoundError,
  UnavailableError,
  ResourceExhaustedError,
  DeadlineExceededError,
  FailedPreconditionError,
  UnimplementedError,
  CancelledError,
} from './errors';
export { toStatus, toServiceError, statusName } from './status-mapping';
export type { StatusReply } from './status-mapping';
export { env, loadConfig, configTable, describeConfig, ConfigError } from './config';
export type { EnvVar, ConfigSpec, ConfigOf, EnvVarDescription } from './config';
export { serverConfigSpec } from './server-config';
export { connectionAgeOptions } from './connection-age';
export type { ConnectionAgeConfig } from './connection-age';
export { Logger, LOG_LEVELS, setTraceContextProvider } from './logger';
export type { LogLevel, LogFields } from './logger';
export { ServiceMetrics, startMetricsServer } from './metrics';
export type { CallContext } from './call-context';
export { remainingMs } from './call-context';
export { implementUnary } from './unary-handlers';
export type { UnaryHandler, UnaryHandlers } from './unary-handlers';
export { unimplementedHandlers } from './unimplemented';
export { InFlightCalls } from './in-flight-calls';
export { TallyServer, service, LIVENESS_HEALTH_NAME } from './tally-server';
export type { HealthSource, ServiceRegistration, TallyServerOptions } from './tally-server';
export { runService } from './run-service';
export type { ServiceKit, ServiceParts, RunServiceOptions } from './run-service';
