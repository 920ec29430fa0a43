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
export { parseDatabaseUrl, describeDatabaseTarget } from './database-url';
export type { DatabaseTarget } from './database-url';
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
export { securityConfigSpec, checkSecuritySettings } from './security-config';
export type { SecuritySettings } from './security-config';
export { serverSecurity, knownMethods } from './server-security';
export type { ServerSecurity } from './server-security';
export { tlsServerCredentials } from './tls-server-credentials';
export type { ServerTlsOptions } from './tls-server-credentials';
export { ReloadingCertificateProvider, describeCertificate } from './tls-certificate-provider';
export type { CertificateFilePaths } from './tls-certificate-provider';
export { authorizationInterceptor, callerOf } from './authz-interceptor';
export type { AuthorizationOptions } from './authz-interceptor';
export { AuthzPolicy } from './authz-policy';
export type { KnownMethods, PolicyDecision } from './authz-policy';
export { TokenFile, hashToken } from './authz-tokens';
export { certificateNames } from './caller-identity';
export type { CallerIdentity } from './caller-identity';
