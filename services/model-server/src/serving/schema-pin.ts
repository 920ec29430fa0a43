import fs from 'node:fs';
import type { common, feature } from '@tally/contracts';

/** The file beside each version's model.onnx that pins the schema the version was trained on. */
export const SCHEMA_FILE_NAME = 'schema.json';
/** The `format` of a pinned schema this server reads (docs/model-repository.md). */
export const SCHEMA_FORMAT = 'tally.model-schema/v1';

type Scalar = number | string | boolean | null;

/** One vector column as the model was trained on it. */
export interface PinnedColumn {
  /** Column name ("feature" or, for one-hot, "feature=level"). */
  name: string;
  /** The feature that fills the column. */
  feature: string;
  /** stored | request | on_demand */
  source: string;
  /** Feature view (stored features); "" otherwise. */
  view: string;
  /** float | int | bool | categorical | string */
  type: string;
  /** ordinal | one_hot for categoricals; "" otherwise. */
  encoding: string;
  /** Declared levels in encoding order (categoricals); [] otherwise. */
  levels: string[];
  /** The feature's default; null when it has none. */
  default: Scalar;
}

/** What `schema.json` holds: the feature set a model version was trained on, column by column. */
export interface PinnedSchema {
  format: string;
  feature_set: string;
  /** The feature set's fingerprint as the feature-service computes it. */
  fingerprint: string;
  columns: PinnedColumn[];
}

const lower = (value: string, prefix: string): string =>
  value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : value.toLowerCase();

/** A Value (as grpc-js decodes it, or as a server builds it) as a plain JSON scalar. */
function scalarOf(value: common.Value | common.Value__Output | null | undefined): Scalar {
  if (value === null || value === undefined) return null;
  const kind =
    (value as { kind?: string }).kind ??
    (['doubleValue', 'int64Value', 'boolValue', 'stringValue'] as const).find(
      (k) => (value as Record<string, unknown>)[k] !== undefined,
    );
  switch (kind) {
    case 'doubleValue':
      return Number(value.doubleValue ?? 0);
    case 'int64Value':
      return Number(value.int64Value ?? 0);
    case 'boolValue':
      return Boolean(value.boolValue);
    case 'stringValue':
      return String(value.stringValue ?? '');
    default:
      return null;
  }
}

/**
 * The pinned form of a DescribeFeatureSet answer: one entry per vector column, in vector order,
 * carrying the properties of the feature that fills it. Accepts the object a feature-service builds
 * as well as the one a client decodes, so training (which pins) and the model-server (which checks)
 * produce the same thing from the same definition.
 */
export function pinnedSchemaOf(
  set: feature.FeatureSetSchema | feature.FeatureSetSchema__Output,
): PinnedSchema {
  const columns: PinnedColumn[] = [];
  for (const spec of set.features ?? []) {
    const type = lower(String(spec.type ?? ''), 'VALUE_TYPE_');
    const encoding =
      type === 'categorical' ? lower(String(spec.encoding ?? ''), 'CATEGORICAL_ENCODING_') : '';
    for (const column of spec.columns ?? []) {
      columns.push({
        name: column,
        feature: spec.name ?? '',
        source: lower(String(spec.source ?? ''), 'FEATURE_SOURCE_'),
        view: spec.view ?? '',
        type,
        encoding,
        levels: [...(spec.levels ?? [])],
        default: scalarOf(spec.defaultValue),
      });
    }
  }
  return { format: SCHEMA_FORMAT, feature_set: set.name ?? '', fingerprint: set.fingerprint ?? '', columns };
}

/** The text of schema.json: stable key order, two-space indent, one trailing newline. */
export function formatPinnedSchema(schema: PinnedSchema): string {
  const ordered: PinnedSchema = {
    format: schema.format,
    feature_set: schema.feature_set,
    fingerprint: schema.fingerprint,
    columns: schema.columns.map((c) => ({
      name: c.name,
      feature: c.feature,
      source: c.source,
      view: c.view,
      type: c.type,
      encoding: c.encoding,
      levels: c.levels,
      default: c.default,
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** A schema.json that cannot be used: names the file and the field. */
export class PinnedSchemaError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'PinnedSchemaError';
  }
}

const COLUMN_STRINGS = ['name', 'feature', 'source', 'view', 'type', 'encoding'] as const;

/** Reads and validates a version's schema.json; throws PinnedSchemaError naming the file and field. */
export function readPinnedSchema(file: string): PinnedSchema {
  const fail = (field: string, problem: string): never => {
    throw new PinnedSchemaError(file, field, problem);
  };
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(
      '(file)',
      code === 'ENOENT'
        ? 'file not found: every version needs the schema it was trained on (written by training/train.py) to be served by Score'
        : `cannot read: ${code ?? String(err)}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail('(document)', `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('(document)', 'expected an object');
  const obj = doc as Record<string, unknown>;
  if (obj.format !== SCHEMA_FORMAT)
    fail('format', `expected ${JSON.stringify(SCHEMA_FORMAT)}, got ${JSON.stringify(obj.format)}`);
  for (const key of ['feature_set', 'fingerprint'] as const) {
    if (typeof obj[key] !== 'string' || obj[key] === '') fail(key, 'expected a non-empty string');
  }
  if (!Array.isArray(obj.columns) || obj.columns.length === 0) fail('columns', 'expected a non-empty list');
  const columns = (obj.columns as unknown[]).map((raw, i): PinnedColumn => {
    const at = `columns[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(at, 'expected an object');
    const c = raw as Record<string, unknown>;
    for (const key of COLUMN_STRINGS) {
      if (typeof c[key] !== 'string') fail(`${at}.${key}`, 'expected a string');
    }
    if (!Array.isArray(c.levels) || c.levels.some((l) => typeof l !== 'string'))
      fail(`${at}.levels`, 'expected a list of strings');
    const d = c.default;
    if (!(d === null || ['number', 'string', 'boolean'].includes(typeof d)))
      fail(`${at}.default`, 'expected a number, string, boolean or null');
    return {
      name: c.name as string,
      feature: c.feature as string,
      source: c.source as string,
      view: c.view as string,
      type: c.type as string,
      encoding: c.encoding as string,
      levels: c.levels as string[],
      default: d as Scalar,
    };
  });
  return {
    format: SCHEMA_FORMAT,
    feature_set: obj.feature_set as string,
    fingerprint: obj.fingerprint as string,
    columns,
  };
}

/** The properties compared, in the order a difference is looked for within one column. */
const COMPARED: ReadonlyArray<keyof PinnedColumn> = [
  'feature',
  'name',
  'source',
  'view',
  'type',
  'encoding',
  'levels',
  'default',
];

const shown = (value: unknown): string => JSON.stringify(value);

/**
 * The first difference between the pinned schema and the feature set the feature-service serves now,
 * as one sentence naming the column (0-based index and pinned name) and the property; undefined when
 * they are the same. Columns are compared in order; a matching column list with another fingerprint
 * is a difference too (the definition changed where no column shows it, e.g. an on-demand expression).
 */
export function schemaDifference(pinned: PinnedSchema, now: PinnedSchema): string | undefined {
  if (pinned.feature_set !== now.feature_set) {
    return `property feature_set: pinned ${shown(pinned.feature_set)}, feature-service ${shown(now.feature_set)}`;
  }
  const count = Math.max(pinned.columns.length, now.columns.length);
  for (let i = 0; i < count; i += 1) {
    const p = pinned.columns[i];
    const n = now.columns[i];
    if (p === undefined) {
      return `column ${i}: the pinned schema has ${pinned.columns.length} columns, the feature-service has more (column ${i} is ${shown(n!.name)})`;
    }
    if (n === undefined) {
      return `column ${i} ${shown(p.name)}: missing at the feature-service (it has ${now.columns.length} columns, the pinned schema ${pinned.columns.length})`;
    }
    for (const property of COMPARED) {
      if (shown(p[property]) !== shown(n[property])) {
        return `column ${i} ${shown(p.name)}, property ${property}: pinned ${shown(p[property])}, feature-service ${shown(n[property])}`;
      }
    }
  }
  if (pinned.fingerprint !== now.fingerprint) {
    return `property fingerprint: pinned ${pinned.fingerprint}, feature-service ${now.fingerprint}, while every column matches: the definition changed elsewhere (a view's max age, an on-demand expression, entity keys or context fields)`;
  }
  return undefined;
}
