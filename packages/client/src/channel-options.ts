import type { ChannelOptions } from '@grpc/grpc-js';
import { METHOD_POLICIES, RETRY_POLICY, RETRY_THROTTLING } from './method-policy';

/**
 * Keepalive of client channels: ping after 30 s without activity while calls are open, and drop a
 * connection whose ping is not answered in 10 s, so a dead pod (or a silently dropped NAT/LB
 * connection) fails over instead of hanging calls until their deadline. No pings on idle
 * channels, which servers would otherwise punish with GOAWAY (too_many_pings).
 */
export const KEEPALIVE = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 0,
} as const;

/** Reconnect quickly to a restarted pod, but back off to at most 5 s. */
export const RECONNECT_BACKOFF = {
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 5_000,
} as const;

/** The gRPC service config of every Tally channel: round_robin, and retries on safe methods. */
export function serviceConfig(retries: boolean): object {
  const retryable = Object.entries(METHOD_POLICIES)
    .filter(([, policy]) => policy.retryable)
    .map(([name]) => {
      const [service, method] = name.split('/') as [string, string];
      return { service, method };
    });
  return {
    loadBalancingConfig: [{ round_robin: {} }],
    ...(retries
      ? {
          methodConfig: [{ name: retryable, retryPolicy: RETRY_POLICY }],
          retryThrottling: RETRY_THROTTLING,
        }
      : {}),
  };
}

/** Channel options of a Tally client; `extra` wins over the defaults. */
export function channelOptions(retries: boolean, extra: ChannelOptions = {}): ChannelOptions {
  return {
    ...KEEPALIVE,
    ...RECONNECT_BACKOFF,
    'grpc.enable_retries': retries ? 1 : 0,
    'grpc.service_config': JSON.stringify(serviceConfig(retries)),
    ...extra,
  };
}
