import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BATCHING } from '../batching/batching-options';
import { parseModelConfig, readModelConfig } from './model-config';
import { selectVersions } from './version-policy';

const FILE = 'models/credit_risk/config.yaml';
const base = { feature_set: 'credit_risk', input: 'features', score_output: 'probabilities' };

function problem(doc: unknown): string {
  try {
    parseModelConfig('credit_risk', FILE, doc);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('model config', () => {
  it('reads the documented example and fills defaults', () => {
    const config = parseModelConfig('credit_risk', FILE, {
      ...base,
      platform: 'onnxruntime_onnx',
      score_index: 1,
      version_policy: { latest: 2 },
      instances: 2,
      batching: {
        max_batch_size: 64,
        max_queue_delay_microseconds: 500,
        preferred_batch_size: [32, 16, 64],
        priority_levels: 2,
        default_priority_level: 2,
      },
    });
    expect(config).toMatchObject({
      featureSet: 'credit_risk',
      scoreIndex: 1,
      instances: 2,
      versionPolicy: { kind: 'latest', count: 2 },
    });
    expect(config.batching).toEqual({
      ...DEFAULT_BATCHING,
      maxBatchSize: 64,
      maxQueueDelayUs: 500,
      preferredBatchSizes: [16, 32, 64],
      priorityLevels: 2,
      defaultPriorityLevel: 2,
    });
    expect(parseModelConfig('m', FILE, base)).toMatchObject({
      versionPolicy: { kind: 'latest', count: 1 },
      instances: 1,
      scoreIndex: 0,
      batching: DEFAULT_BATCHING,
    });
    expect(parseModelConfig('m', FILE, { ...base, version_policy: 'all' }).versionPolicy).toEqual({
      kind: 'all',
    });
    expect(
      parseModelConfig('m', FILE, { ...base, version_policy: { specific: [3, 1] } }).versionPolicy,
    ).toEqual({ kind: 'specific', versions: [1, 3] });
  });

  it.each<[string, unknown, string]>([
    ['a missing feature_set', { input: 'features', score_output: 'p' }, `${FILE}: feature_set: required`],
    ['an unknown field', { ...base, batchng: {} }, `${FILE}: batchng: unknown field`],
    [
      'an unknown batching field',
      { ...base, batching: { max_batch: 3 } },
      `${FILE}: batching.max_batch: unknown field`,
    ],
    [
      'a negative max_batch_size',
      { ...base, batching: { max_batch_size: -1 } },
      `${FILE}: batching.max_batch_size: expected an integer`,
    ],
    [
      'a preferred size above max',
      { ...base, batching: { max_batch_size: 8, preferred_batch_size: [4, 16] } },
      `${FILE}: batching.preferred_batch_size[1]: 16 is larger than max_batch_size 8`,
    ],
    [
      'a default level above the levels',
      { ...base, batching: { priority_levels: 2, default_priority_level: 3 } },
      `${FILE}: batching.default_priority_level`,
    ],
    [
      'a bad version policy',
      { ...base, version_policy: { newest: 1 } },
      `${FILE}: version_policy: expected one of`,
    ],
    [
      'a bad specific version',
      { ...base, version_policy: { specific: [1, 'two'] } },
      `${FILE}: version_policy.specific[1]`,
    ],
    ['zero instances', { ...base, instances: 0 }, `${FILE}: instances: expected an integer from 1 to 64`],
    ['another platform', { ...base, platform: 'tensorflow' }, `${FILE}: platform: expected onnxruntime_onnx`],
    ['a list document', [1, 2], `${FILE}: (document): expected a mapping`],
  ])('refuses %s, naming the file and field', (_what, doc, message) => {
    expect(problem(doc)).toContain(message);
  });

  it('reports unreadable and invalid YAML files by name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-config-'));
    try {
      const modelDir = path.join(dir, 'm');
      fs.mkdirSync(modelDir);
      expect(() => readModelConfig(modelDir)).toThrow(
        `${path.join(modelDir, 'config.yaml')}: (file): cannot read: ENOENT`,
      );
      fs.writeFileSync(path.join(modelDir, 'config.yaml'), 'feature_set: [unclosed');
      expect(() => readModelConfig(modelDir)).toThrow(/config\.yaml: \(document\): not valid YAML/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('version policy', () => {
  it('selects the newest N, all, or the listed versions that exist', () => {
    expect(selectVersions({ kind: 'latest', count: 2 }, [3, 1, 10, 2])).toEqual([3, 10]);
    expect(selectVersions({ kind: 'all' }, [2, 1])).toEqual([1, 2]);
    expect(selectVersions({ kind: 'specific', versions: [1, 4] }, [1, 2, 3])).toEqual([1]);
  });
});
