import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_BATCHING } from '../batching/batching-options';
import type { BatchingOptions } from '../batching/batching-options';
import { parseReasonConfig } from '../explain/reason-config';
import type { ReasonConfig } from '../explain/reason-config';
import { parseDecisionPolicy } from '../serving/decision-policy';
import type { DecisionPolicy } from '../serving/decision-policy';
import type { VersionPolicy } from './version-policy';
import { parseChallengerConfig } from '../challengers/challenger-config';
import type { ChallengerConfig } from '../challengers/challenger-config';

/** The validated `config.yaml` of one model (see docs/model-repository.md). */
export interface ModelConfig {
  name: string;
  /** The feature set whose vector feeds the model. */
  featureSet: string;
  platform: 'onnxruntime_onnx';
  /** The ONNX input that receives the [batch, width] float32 vector. */
  input: string;
  /** Expected width of that input; when absent the model's own declared width is used. */
  inputWidth: number | undefined;
  /** The ONNX output holding the score, and its column. */
  scoreOutput: string;
  scoreIndex: number;
  versionPolicy: VersionPolicy;
  /** Inference workers, each with its own session. */
  instances: number;
  batching: BatchingOptions;
  /** A challenger version scored in shadow or answering a canary slice (src/challengers). */
  challenger: ChallengerConfig | undefined;
  /** The reason-code map (`reasons:`); undefined = the model gives no reasons. */
  reasons: ReasonConfig | undefined;
  /** What Score does with a vector whose features are not PRESENT; undefined = no policy. */
  decisionPolicy: DecisionPolicy | undefined;
}

/** A config file that cannot be used: names the file and the field. */
export class ModelConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'ModelConfigError';
  }
}

export const CONFIG_FILE_NAME = 'config.yaml';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

type Fields = Record<string, unknown>;

class Reader {
  constructor(readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new ModelConfigError(this.file, field, problem);
  }

  object(value: unknown, field: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(field, `expected a mapping, got ${describe(value)}`);
    }
    return value as Fields;
  }

  onlyKeys(obj: Fields, field: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(field ? `${field}.${key}` : key, `unknown field (expected one of ${allowed.join(', ')})`);
      }
    }
  }

  string(obj: Fields, key: string, prefix = '', fallback?: string): string {
    const value = obj[key];
    const field = prefix + key;
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail(field, 'required');
    }
    if (typeof value !== 'string' || value.trim() === '')
      this.fail(field, `expected a non-empty string, got ${describe(value)}`);
    return value;
  }

  integer(obj: Fields, key: string, prefix: string, min: number, max: number, fallback?: number): number {
    const value = obj[key];
    const field = prefix + key;
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail(field, 'required');
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, `expected an integer from ${min} to ${max}, got ${describe(value)}`);
    }
    return value;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const TOP_LEVEL_KEYS = [
  'feature_set',
  'platform',
  'input',
  'input_width',
  'score_output',
  'score_index',
  'version_policy',
  'instances',
  'batching',
  'challenger',
  'reasons',
  'decision_policy',
] as const;

const BATCHING_KEYS = [
  'max_batch_size',
  'max_queue_delay_microseconds',
  'preferred_batch_size',
  'max_queue_size',
  'default_queue_timeout_microseconds',
  'priority_levels',
  'default_priority_level',
] as const;

const MAX_BATCH_SIZE = 65536;
const ONE_HOUR_US = 3_600_000_000;

function parseVersionPolicy(r: Reader, value: unknown): VersionPolicy {
  const field = 'version_policy';
  if (value === undefined || value === null) return { kind: 'latest', count: 1 };
  if (value === 'all') return { kind: 'all' };
  const obj = r.object(value, field);
  const keys = Object.keys(obj);
  if (keys.length !== 1 || !['latest', 'all', 'specific'].includes(keys[0]!)) {
    r.fail(field, 'expected one of {latest: N}, all, {specific: [versions]}');
  }
  if ('latest' in obj) return { kind: 'latest', count: r.integer(obj, 'latest', `${field}.`, 1, 1000) };
  if ('all' in obj) return { kind: 'all' };
  const list = obj.specific;
  if (!Array.isArray(list) || list.length === 0)
    r.fail(`${field}.specific`, 'expected a non-empty list of versions');
  const versions = list.map((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      r.fail(`${field}.specific[${i}]`, `expected a positive integer version, got ${describe(v)}`);
    }
    return v;
  });
  return { kind: 'specific', versions: [...new Set(versions)].sort((a, b) => a - b) };
}

function parseBatching(r: Reader, value: unknown): BatchingOptions {
  const field = 'batching';
  if (value === undefined || value === null) return { ...DEFAULT_BATCHING };
  const obj = r.object(value, field);
  r.onlyKeys(obj, field, BATCHING_KEYS);
  const p = `${field}.`;
  const d = DEFAULT_BATCHING;
  const maxBatchSize = r.integer(obj, 'max_batch_size', p, 0, MAX_BATCH_SIZE, d.maxBatchSize);
  const maxQueueDelayUs = r.integer(
    obj,
    'max_queue_delay_microseconds',
    p,
    0,
    ONE_HOUR_US,
    d.maxQueueDelayUs,
  );
  const maxQueueSize = r.integer(obj, 'max_queue_size', p, 0, 10_000_000, d.maxQueueSize);
  const defaultQueueTimeoutUs = r.integer(
    obj,
    'default_queue_timeout_microseconds',
    p,
    0,
    ONE_HOUR_US,
    d.defaultQueueTimeoutUs,
  );
  const priorityLevels = r.integer(obj, 'priority_levels', p, 1, 16, d.priorityLevels);
  const defaultPriorityLevel = r.integer(
    obj,
    'default_priority_level',
    p,
    1,
    priorityLevels,
    d.defaultPriorityLevel,
  );
  let preferredBatchSizes: number[] = [];
  const preferred = obj.preferred_batch_size;
  if (preferred !== undefined && preferred !== null) {
    const list = Array.isArray(preferred) ? preferred : [preferred];
    preferredBatchSizes = list.map((v, i) => {
      const f = `${p}preferred_batch_size[${i}]`;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
        r.fail(f, `expected a positive integer, got ${describe(v)}`);
      if (maxBatchSize > 0 && v > maxBatchSize)
        r.fail(f, `${v} is larger than max_batch_size ${maxBatchSize}`);
      return v;
    });
    if (maxBatchSize === 0 && preferredBatchSizes.length > 0) {
      r.fail(`${p}preferred_batch_size`, 'has no effect when max_batch_size is 0 (batching off); remove it');
    }
    preferredBatchSizes = [...new Set(preferredBatchSizes)].sort((a, b) => a - b);
  }
  return {
    maxBatchSize,
    maxQueueDelayUs,
    preferredBatchSizes,
    maxQueueSize,
    defaultQueueTimeoutUs,
    priorityLevels,
    defaultPriorityLevel,
  };
}

/** Validates the parsed YAML of `<repository>/<name>/config.yaml`. */
export function parseModelConfig(name: string, file: string, document: unknown): ModelConfig {
  const r = new Reader(file);
  const obj = r.object(document ?? undefined, '(document)');
  r.onlyKeys(obj, '', TOP_LEVEL_KEYS);
  const platform = r.string(obj, 'platform', '', 'onnxruntime_onnx');
  if (platform !== 'onnxruntime_onnx')
    r.fail('platform', `expected onnxruntime_onnx, got ${JSON.stringify(platform)}`);
  const featureSet = r.string(obj, 'feature_set');
  if (!/^[a-z][a-z0-9_]*$/.test(featureSet))
    r.fail('feature_set', `not a feature set name: ${JSON.stringify(featureSet)}`);
  const inputWidth =
    obj.input_width === undefined ? undefined : r.integer(obj, 'input_width', '', 1, 1_000_000);
  return {
    name,
    featureSet,
    platform: 'onnxruntime_onnx',
    input: r.string(obj, 'input'),
    inputWidth,
    scoreOutput: r.string(obj, 'score_output'),
    scoreIndex: r.integer(obj, 'score_index', '', 0, 1_000_000, 0),
    versionPolicy: parseVersionPolicy(r, obj.version_policy),
    instances: r.integer(obj, 'instances', '', 1, 64, 1),
    batching: parseBatching(r, obj.batching),
    challenger: parseChallengerConfig(obj.challenger, (field, problem) => r.fail(field, problem)),
    reasons: parseReasonConfig(obj.reasons, (field, problem) => r.fail(field, problem)),
    decisionPolicy: parseDecisionPolicy(obj.decision_policy, (field, problem) => r.fail(field, problem)),
  };
}

/** Reads and validates a model's config file; throws ModelConfigError naming the file and field. */
export function readModelConfig(modelDir: string): { config: ModelConfig; text: string; file: string } {
  const name = path.basename(modelDir);
  const file = path.join(modelDir, CONFIG_FILE_NAME);
  if (!NAME_PATTERN.test(name)) {
    throw new ModelConfigError(file, '(model directory)', `not a valid model name: ${JSON.stringify(name)}`);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ModelConfigError(
      file,
      '(file)',
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (err) {
    throw new ModelConfigError(
      file,
      '(document)',
      `not valid YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return { config: parseModelConfig(name, file, document), text, file };
}
