export { DEGRADED_MAX_ENTRY_AGE_MS } from './change-feed';
export type { ChangeFeed, InvalidationTarget, ReplicaChangeFeed } from './change-feed';
export { LocalChangeFeed } from './local-change-feed';
export { NatsChangeFeed, HEARTBEAT_INTERVAL_MS, PEER_STALE_MS, PEER_FORGET_MS } from './nats-change-feed';
export type { NatsChangeFeedOptions } from './nats-change-feed';
export { FreshnessMetrics } from './freshness-metrics';
export { PeerClock } from './peer-clock';
export { encodeChanges, decodeChange, MAX_CHANGE_MESSAGE_BYTES } from './change-messages';
