import type * as grpc from '@grpc/grpc-js';

/** The server config a connection age is read from (see serverConfigSpec). */
export interface ConnectionAgeConfig {
  GRPC_MAX_CONNECTION_AGE_MS: number;
  GRPC_MAX_CONNECTION_AGE_GRACE_MS: number;
}

/**
 * grpc-js server options that age client connections out: after the age the server sends GOAWAY, the
 * client reconnects (re-resolving DNS), and a round_robin client reaches pods that started after it.
 * Calls already running get the grace to finish. An age of 0 sets nothing (connections live forever).
 */
export function connectionAgeOptions(config: ConnectionAgeConfig): grpc.ServerOptions {
  if (config.GRPC_MAX_CONNECTION_AGE_MS === 0) return {};
  return {
    'grpc.max_connection_age_ms': config.GRPC_MAX_CONNECTION_AGE_MS,
    'grpc.max_connection_age_grace_ms': config.GRPC_MAX_CONNECTION_AGE_GRACE_MS,
  };
}
