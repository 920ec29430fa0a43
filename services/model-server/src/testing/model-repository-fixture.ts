import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { feature } from '@tally/contracts';
import YAML from 'yaml';
import { formatPinnedSchema, pinnedSchemaOf, SCHEMA_FILE_NAME } from '../serving/schema-pin';

/** Config of a test model, written as config.yaml (snake_case keys, as in docs/model-repository.md). */
export type ModelConfigDocument = Record<string, unknown>;

export interface TestModel {
  /** Contents of config.yaml (an object is written as YAML, a string as is). */
  config: ModelConfigDocument | string;
  /** Version → model.onnx bytes. */
  versions: Record<number, Uint8Array>;
}

/** A config for a model built by buildMlpModel (input `features`, score column 1 of `probabilities`). */
export function mlpConfig(overrides: ModelConfigDocument = {}): ModelConfigDocument {
  return {
    feature_set: 'credit_risk',
    platform: 'onnxruntime_onnx',
    input: 'features',
    score_output: 'probabilities',
    score_index: 1,
    version_policy: { latest: 1 },
    instances: 1,
    batching: { max_batch_size: 64, max_queue_delay_microseconds: 0, max_queue_size: 1024 },
    ...overrides,
  };
}

/** Writes (or overwrites) one version's model file. */
export function writeModelVersion(
  repository: string,
  name: string,
  version: number,
  bytes: Uint8Array,
): string {
  const dir = path.join(repository, name, String(version));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'model.onnx');
  // Write then rename, so a server never reads a half-written file.
  fs.writeFileSync(`${file}.tmp`, bytes);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Writes (or overwrites) a model's config.yaml. */
export function writeModelConfig(
  repository: string,
  name: string,
  config: ModelConfigDocument | string,
): string {
  const dir = path.join(repository, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, typeof config === 'string' ? config : YAML.stringify(config));
  return file;
}

/**
 * Creates a model repository in a fresh temporary folder holding `models` and returns its path.
 * Remove it with `fs.rmSync(path, { recursive: true, force: true })`.
 */
export function createModelRepository(models: Record<string, TestModel>): string {
  const repository = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-models-'));
  for (const [name, model] of Object.entries(models)) {
    writeModelConfig(repository, name, model.config);
    for (const [version, bytes] of Object.entries(model.versions)) {
      writeModelVersion(repository, name, Number(version), bytes);
    }
  }
  return repository;
}

/**
 * A feature set of `width` float request features f0…f(width-1), as DescribeFeatureSet describes it:
 * what a fake feature-service answers for models whose schema.json is written by writeModelSchema.
 */
export function testFeatureSet(width: number, name = 'credit_risk'): feature.FeatureSetSchema {
  const features = Array.from({ length: width }, (_, i) => ({
    name: `f${i}`,
    source: 'FEATURE_SOURCE_REQUEST' as const,
    type: 'VALUE_TYPE_FLOAT' as const,
    levels: [],
    columns: [`f${i}`],
  }));
  return { name, features, columns: features.map((f) => f.name), fingerprint: `test-${name}-${width}` };
}

/** Writes a version's schema.json pinning `set` (as training does), so it loads against a feature-service. */
export function writeModelSchema(
  repository: string,
  name: string,
  version: number,
  set: feature.FeatureSetSchema,
): string {
  const dir = path.join(repository, name, String(version));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, SCHEMA_FILE_NAME);
  fs.writeFileSync(file, formatPinnedSchema(pinnedSchemaOf(set)));
  return file;
}
