import path from 'node:path';
import { env, serverConfigSpec } from '@tally/grpc-kit';
import { otelConfigSpec } from '@tally/telemetry';

/** The repository's `models/` folder (this file is in services/model-server/dist or src). */
export const DEFAULT_MODEL_REPOSITORY = path.resolve(__dirname, '../../../models');

/**
 * Every environment variable the model-server reads. This object is the single source of truth:
 * the README's configuration table, the Helm chart and docker-compose are checked against it.
 */
export const modelServerConfigSpec = {
  ...serverConfigSpec({ grpcPort: 50052, metricsPort: 9102 }),
  MODEL_REPOSITORY: env.custom(
    'Folder holding one sub-folder per model (`<name>/config.yaml`, `<name>/<version>/model.onnx`).',
    'a folder path (relative paths are resolved from the working directory)',
    DEFAULT_MODEL_REPOSITORY,
    (raw) => path.resolve(raw),
    "the repository's models/",
  ),
  FEATURE_SERVICE_ADDR: env.custom(
    "feature-service address. When set, each model version's schema.json is checked at load against its feature set (DescribeFeatureSet) and Score serves only versions that match; empty = standalone (only the model's config is checked, Score is off).",
    'host:port, or empty',
    '',
    (raw) =>
      /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(raw) || /^(dns|ipv4|ipv6|unix):/.test(raw) ? raw : undefined,
    '(empty: standalone)',
  ),
  FEATURE_CHECK_TIMEOUT_MS: env.integer(
    "Deadline of each DescribeFeatureSet call that checks a version's schema.json; when it passes at load the version loads unchecked (a warning), ModelInfer serves it, Score does not until a re-check (every second) passes.",
    2000,
    100,
    60000,
  ),
  INFERENCE_INTRA_OP_THREADS: env.integer(
    "ONNX Runtime intra-op threads of each inference worker's session (parallelism comes from `instances`).",
    1,
    1,
    64,
  ),
  MAX_SCORE_BATCH_ITEMS: env.integer(
    'Most items one ScoreBatch call may carry (they go to the feature-service in one GetFeatureVectors call: keep it at most its MAX_ENTITIES_PER_REQUEST).',
    256,
    1,
    10000,
  ),
  // Read by the OpenTelemetry SDK (started by @tally/telemetry/register before anything else).
  ...otelConfigSpec,
};
