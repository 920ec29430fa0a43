export { FeatureClient } from './feature-client';
export type { FeatureMethod } from './feature-client';
export { ScoringClient } from './scoring-client';
export type { ScoringMethod } from './scoring-client';
export { DecisionLogClient } from './decision-log-client';
export type { DecisionLogMethod } from './decision-log-client';
export { InferenceClient } from './inference-client';
export type { InferenceMethod } from './inference-client';
export { createTallyClient, score, scoreRequest } from './tally-client';
export type { ScoreInput, TallyClient, TallyClientOptions } from './tally-client';
export type { CallOptions, ClientOptions } from './service-client';
export { TallyClientError } from './client-error';
export { METHOD_POLICIES, RETRY_POLICY, RETRY_THROTTLING } from './method-policy';
export type { MethodPolicy, TallyMethod } from './method-policy';
export { KEEPALIVE, RECONNECT_BACKOFF, channelOptions, serviceConfig } from './channel-options';
export { resolveTarget } from './target';
export type { Addresses } from './target';
export { toValue, toValueMap, fromValue, fromValueMap, double, int64 } from './value-map';
export type { PlainValue } from './value-map';
export {
  DEFAULT_TLS_RELOAD_INTERVAL_MS,
  tlsChannelCredentials,
  tlsChannelOptions,
  tlsRequested,
} from './tls-options';
export type { TlsOptions } from './tls-options';
