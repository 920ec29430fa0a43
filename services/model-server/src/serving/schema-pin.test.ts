import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { feature } from '@tally/contracts';
import { formatPinnedSchema, pinnedSchemaOf, readPinnedSchema, schemaDifference } from './schema-pin';

/** A DescribeFeatureSet answer as a client decodes it (oneof `kind`, defaults filled in). */
function described(overrides: { levels?: string[]; income?: number; fingerprint?: string } = {}) {
  const value = (kind: string, v: unknown) => ({ kind, [kind]: v });
  return {
    name: 'credit',
    fingerprint: overrides.fingerprint ?? 'abc',
    features: [
      {
        name: 'amount',
        source: 'FEATURE_SOURCE_REQUEST',
        view: '',
        type: 'VALUE_TYPE_FLOAT',
        levels: [],
        encoding: 'CATEGORICAL_ENCODING_UNSPECIFIED',
        columns: ['amount'],
        defaultValue: null,
      },
      {
        name: 'income',
        source: 'FEATURE_SOURCE_STORED',
        view: 'profile',
        type: 'VALUE_TYPE_FLOAT',
        levels: [],
        encoding: 'CATEGORICAL_ENCODING_UNSPECIFIED',
        columns: ['income'],
        defaultValue: value('doubleValue', overrides.income ?? 100),
      },
      {
        name: 'grade',
        source: 'FEATURE_SOURCE_STORED',
        view: 'profile',
        type: 'VALUE_TYPE_CATEGORICAL',
        levels: overrides.levels ?? ['A', 'B'],
        encoding: 'CATEGORICAL_ENCODING_ONE_HOT',
        columns: (overrides.levels ?? ['A', 'B']).map((l) => `grade=${l}`),
        defaultValue: value('stringValue', 'A'),
      },
    ],
  } as unknown as feature.FeatureSetSchema__Output;
}

describe('pinned schema', () => {
  it('has one entry per column with the properties of its feature, and reads back what it writes', () => {
    const pinned = pinnedSchemaOf(described());
    expect(pinned.columns.map((c) => c.name)).toEqual(['amount', 'income', 'grade=A', 'grade=B']);
    expect(pinned.columns[3]).toEqual({
      name: 'grade=B',
      feature: 'grade',
      source: 'stored',
      view: 'profile',
      type: 'categorical',
      encoding: 'one_hot',
      levels: ['A', 'B'],
      default: 'A',
    });
    expect(pinned.columns[0]!.default).toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-schema-'));
    try {
      const file = path.join(dir, 'schema.json');
      fs.writeFileSync(file, formatPinnedSchema(pinned));
      expect(readPinnedSchema(file)).toEqual(pinned);
      fs.writeFileSync(file, JSON.stringify({ ...pinned, columns: [{ ...pinned.columns[0], levels: 'A' }] }));
      expect(() => readPinnedSchema(file)).toThrow(`${file}: columns[0].levels: expected a list of strings`);
      fs.rmSync(file);
      expect(() => readPinnedSchema(file)).toThrow(`${file}: (file): file not found`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the first column and property that differ', () => {
    const pinned = pinnedSchemaOf(described());
    expect(schemaDifference(pinned, pinnedSchemaOf(described()))).toBeUndefined();
    expect(schemaDifference(pinned, pinnedSchemaOf(described({ income: 120 })))).toBe(
      'column 1 "income", property default: pinned 100, feature-service 120',
    );
    expect(schemaDifference(pinned, pinnedSchemaOf(described({ levels: ['B', 'A'] })))).toBe(
      'column 2 "grade=A", property name: pinned "grade=A", feature-service "grade=B"',
    );
    expect(schemaDifference(pinned, pinnedSchemaOf(described({ levels: ['A', 'B', 'C'] })))).toBe(
      'column 2 "grade=A", property levels: pinned ["A","B"], feature-service ["A","B","C"]',
    );
    expect(schemaDifference(pinned, pinnedSchemaOf(described({ fingerprint: 'def' })))).toMatch(
      /^property fingerprint: pinned abc, feature-service def, while every column matches/,
    );
  });
});
