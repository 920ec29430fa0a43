import path from 'node:path';
import { env, serverConfigSpec } from '@tally/grpc-kit';
import { otelConfigSpec } from '@tally/telemetry';
import { parseStoreUrl } from './store';
import type { StoreTarget } from './store';

/** Comma-separated nats:// (or tls://) URLs, as given; undefined when one is not a URL. */
function parseNatsUrls(raw: string): string | undefined {
  const urls = raw.split(',').map((u) => u.trim());
  return urls.every((u) => /^(nats|tls):\/\/[^\s/]+(:\d{1,5})?\/?$/.test(u)) ? urls.join(',') : undefined;
}

/** A literal NATS subject (no wildcards). */
export function parseSubject(raw: string): string | undefined {
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(raw) ? raw : undefined;
}

/** The repository's `features/` folder, seen from services/feature-service/dist. */
const REPO_FEATURES = path.resolve(__dirname, '../../../features');

/**
 * Every environment variable the feature-service reads. This object is the single source of truth:
 * the README's configuration table, the Helm chart and docker-compose are checked against it.
 */
export const featureServiceConfigSpec = {
  ...serverConfigSpec({ grpcPort: 50051, metricsPort: 9101 }),
  REGISTRY_PATH: env.custom<string>(
    'Feature registry: a folder of *.yaml definitions (not recursive) or one file. Validated at start-up.',
    'a path',
    REPO_FEATURES,
    (raw) => path.resolve(raw),
    '<repo>/features',
  ),
  STORE_URL: env.custom<StoreTarget>(
    'Online store. A relative SQLite path is resolved from the working directory; its folder is created.',
    'sqlite:PATH or mysql://user[:password]@host[:port]/database',
    parseStoreUrl('sqlite:./data/tally.sqlite'),
    parseStoreUrl,
    'sqlite:./data/tally.sqlite',
  ),
  STORE_POOL_SIZE: env.integer('MySQL connections kept in the pool (ignored for SQLite).', 10, 1, 500),
  STORE_TIMEOUT_MS: env.integer(
    'Longest a store read may take before its entities count as unreadable (UNAVAILABLE, or defaults with policy DEFAULT); also bounds connecting.',
    500,
    1,
    60000,
  ),
  MAX_ENTITIES_PER_REQUEST: env.integer(
    'Most entities one GetFeatureVectors call may ask for.',
    1000,
    1,
    100000,
  ),
  MAX_ROWS_PER_WRITE: env.integer('Most rows one WriteFeatureRows call may carry.', 10000, 1, 1000000),
  MAX_EVENTS_PER_WRITE: env.integer(
    'Most events one WriteEvents call (or one stream batch) may carry.',
    10000,
    1,
    1000000,
  ),
  EVENT_ALLOWED_LATENESS_MS: env.integer(
    "How much older than its source's longest window an event may be and still be accepted (ms); older events are refused (INVALID_ARGUMENT). Raw events are kept at least the longest window plus this plus EVENT_MAX_FUTURE_MS, so a replay is always deduplicated or refused. See docs/windows.md.",
    86400000,
    0,
    31622400000,
  ),
  EVENT_MAX_FUTURE_MS: env.integer(
    'Clock-skew bound: how far ahead of the service clock an event time may be (ms); later events are refused (INVALID_ARGUMENT).',
    300000,
    0,
    86400000,
  ),
  EVENT_SWEEP_INTERVAL_MS: env.integer(
    'How often the service deletes expired tiles and raw events of every event source (ms); 0 = never.',
    60000,
    0,
    86400000,
  ),
  EVENT_SWEEP_MAX_ROWS: env.integer(
    'Most tiles, and most raw events, one sweep deletes per event source (keeps each delete short).',
    10000,
    1,
    10000000,
  ),
  CACHE_MAX_ENTRIES: env.integer(
    'Rows (view, entity) kept in the in-process cache; 0 disables it.',
    100000,
    0,
    100000000,
  ),
  CACHE_TTL_MS: env.integer(
    'How long a cached row (or a cached "no row") is served before the store is read again. Without NATS_URL this bounds staleness across replicas; with it, writes invalidate every replica (docs/cache-invalidation.md).',
    30000,
    1,
    86400000,
  ),
  NATS_URL: env.custom<string>(
    'NATS server(s) for cross-replica cache invalidation (and the JetStream event consumer). Empty: a single replica, no channel; other replicas would see a write only after CACHE_TTL_MS.',
    'empty, or nats://host:port (several separated by commas)',
    '',
    parseNatsUrls,
    '(empty)',
  ),
  EVENTS_CONSUMER_ENABLED: env.boolean(
    'With NATS_URL: consume events from the JetStream stream EVENTS_STREAM (docs/event-stream.md).',
    true,
  ),
  EVENTS_STREAM: env.custom<string>(
    'JetStream stream of events; created (file storage, subjects <EVENTS_SUBJECT_PREFIX>.>) when missing. Its dead letters go to the stream <EVENTS_STREAM>_DEAD_LETTER.',
    'a stream name (letters, digits, - and _)',
    'TALLY_EVENTS',
    (raw) => (/^[A-Za-z0-9_-]+$/.test(raw) ? raw : undefined),
  ),
  EVENTS_SUBJECT_PREFIX: env.custom<string>(
    'Events of source S are published on <prefix>.S, one JSON event per message.',
    'a NATS subject (tokens of letters, digits, - and _ separated by dots)',
    'tally.events',
    parseSubject,
  ),
  EVENTS_CONSUMER: env.custom<string>(
    'Durable JetStream consumer shared by every replica (each message is handled by one).',
    'a consumer name (letters, digits, - and _)',
    'feature-service',
    (raw) => (/^[A-Za-z0-9_-]+$/.test(raw) ? raw : undefined),
  ),
  EVENTS_DEAD_LETTER_SUBJECT: env.custom<string>(
    'Poison messages (not an event, or refused by validation) are published here with the reason in a header, then terminated.',
    'a NATS subject outside <EVENTS_SUBJECT_PREFIX>.>',
    'tally.dead_letter.events',
    parseSubject,
  ),
  EVENTS_BATCH_SIZE: env.integer(
    'Most stream messages fetched and written at once; also what one replica holds unacknowledged. Capped at MAX_EVENTS_PER_WRITE.',
    500,
    1,
    100000,
  ),
  EVENTS_ACK_WAIT_MS: env.integer(
    'A fetched message not acknowledged within this is delivered again (e.g. its replica crashed); writes give up after half of it.',
    30000,
    1000,
    3600000,
  ),
  EVENTS_RETRY_DELAY_MS: env.integer(
    'When the store fails, the batch is delivered again after this, and fetching pauses as long.',
    1000,
    1,
    600000,
  ),
  CACHE_CHANGES_SUBJECT: env.custom<string>(
    'NATS subject prefix of the invalidation channel: <prefix>.changed and <prefix>.heartbeat. Every replica of one store must use the same.',
    'a NATS subject (tokens of letters, digits, - and _ separated by dots)',
    'tally.cache',
    parseSubject,
  ),
  ...otelConfigSpec,
};
