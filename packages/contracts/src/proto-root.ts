import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding Tally's .proto files: `proto/` at the repository root, or a copy shipped beside
 * the package (`<package>/proto`) when the package is deployed on its own.
 */
export function protoRoot(): string {
  const candidates = [path.resolve(__dirname, '../proto'), path.resolve(__dirname, '../../../proto')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'tally/common/v1/value.proto')));
  if (found === undefined) {
    throw new Error(`Tally .proto files not found; looked in ${candidates.join(' and ')}`);
  }
  return found;
}

/** The .proto files every Tally service and client loads. */
export const PROTO_FILES = [
  'tally/common/v1/value.proto',
  'tally/feature/v1/feature_service.proto',
  'tally/model/v1/scoring_service.proto',
  'tally/model/v1/decision_log.proto',
  'inference/grpc_service.proto',
] as const;
