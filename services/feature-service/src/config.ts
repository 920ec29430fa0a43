import path from 'node:path';
import { env, serverConfigSpec } from '@tally/grpc-kit';
import { otelConfigSpec } from '@tally/telemetry';
import { parseStoreUrl } from './store';
import type { StoreTarget } from './store';

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
  STORE_TLS: env.boolean(
    "TLS to MySQL, verifying the server's certificate (against STORE_TLS_CA_FILE, else the system's trusted CAs); a server without TLS is refused. On by itself when STORE_TLS_CA_FILE or STORE_TLS_CERT_FILE is set. Ignored for SQLite.",
    false,
  ),
  STORE_TLS_CA_FILE: env.file("PEM CA bundle that MySQL's certificate must chain to (read at start-up)."),
  STORE_TLS_CERT_FILE: env.file(
    'PEM client certificate presented to MySQL (for REQUIRE X509 users); needs STORE_TLS_KEY_FILE. Read at start-up.',
  ),
  STORE_TLS_KEY_FILE: env.file('PEM private key of STORE_TLS_CERT_FILE.'),
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
  CACHE_MAX_ENTRIES: env.integer(
    'Rows (view, entity) kept in the in-process cache; 0 disables it.',
    100000,
    0,
    100000000,
  ),
  CACHE_TTL_MS: env.integer(
    'How long a cached row (or a cached "no row") is served before the store is read again. Bounds staleness across replicas.',
    30000,
    1,
    86400000,
  ),
  ...otelConfigSpec,
};
