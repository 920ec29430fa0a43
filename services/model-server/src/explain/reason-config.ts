/** The `reasons:` block of a model's config.yaml (docs/model-repository.md), validated. */
export interface ReasonConfig {
  /** Most reasons returned per score. */
  topN: number;
  /** Every Score returns reasons, asked for or not. */
  always: boolean;
  /** Sampling Shapley (models without xgboost.json): permutations per explained row (even: antithetic pairs). */
  permutations: number;
  /** Seed of those permutations. */
  seed: number;
  codes: ReasonCode[];
}

/** One reason code: the features it covers and its text. */
export interface ReasonCode {
  code: string;
  text: string;
  /** Feature-set feature names (a one-hot feature covers all its `name=level` columns). */
  features: string[];
}

export const REASON_KEYS = ['top_n', 'always', 'permutations', 'seed', 'codes'] as const;
const CODE_KEYS = ['code', 'text', 'features'] as const;
export const DEFAULT_TOP_N = 4;
export const DEFAULT_PERMUTATIONS = 32;
export const DEFAULT_SEED = 1;

type Fail = (field: string, problem: string) => never;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function mapping(
  value: unknown,
  field: string,
  fail: Fail,
  keys: readonly string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, `expected a mapping, got ${describe(value)}`);
  }
  for (const key of Object.keys(value as object)) {
    if (!keys.includes(key)) fail(`${field}.${key}`, `unknown field (expected one of ${keys.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

function integer(
  value: unknown,
  field: string,
  fail: Fail,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `expected an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/**
 * Checks the shape of `reasons:`; which features exist is checked later, against the feature set's
 * columns (compileReasonMap). `fail` throws the config's error naming the file and the field.
 */
export function parseReasonConfig(value: unknown, fail: Fail): ReasonConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const obj = mapping(value, 'reasons', fail, REASON_KEYS);
  const always = obj.always ?? false;
  if (typeof always !== 'boolean') fail('reasons.always', `expected true or false, got ${describe(always)}`);
  const permutations = integer(obj.permutations, 'reasons.permutations', fail, 2, 4096, DEFAULT_PERMUTATIONS);
  if (permutations % 2 !== 0) {
    fail(
      'reasons.permutations',
      `expected an even number (permutations come in antithetic pairs), got ${permutations}`,
    );
  }
  const list = obj.codes;
  if (!Array.isArray(list) || list.length === 0)
    fail('reasons.codes', 'expected a non-empty list of reason codes');
  const codeOf = new Map<string, string>();
  const featureOf = new Map<string, string>();
  const codes = (list as unknown[]).map((raw, i): ReasonCode => {
    const field = `reasons.codes[${i}]`;
    const entry = mapping(raw, field, fail, CODE_KEYS);
    const code = entry.code;
    if (typeof code !== 'string' || !/^[A-Za-z0-9_.-]{1,32}$/.test(code)) {
      fail(
        `${field}.code`,
        `expected a code of 1 to 32 letters, digits, '_', '.' or '-', got ${describe(code)}`,
      );
    }
    if (codeOf.has(code)) fail(`${field}.code`, `'${code}' is already ${codeOf.get(code)}`);
    codeOf.set(code, field);
    const text = entry.text;
    if (typeof text !== 'string' || text.trim() === '')
      fail(`${field}.text`, `expected a non-empty text, got ${describe(text)}`);
    const features = entry.features;
    if (!Array.isArray(features) || features.length === 0) {
      fail(`${field}.features`, 'expected a non-empty list of feature names');
    }
    (features as unknown[]).forEach((name, j) => {
      if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) {
        fail(`${field}.features[${j}]`, `expected a feature name, got ${describe(name)}`);
      }
      const other = featureOf.get(name);
      if (other !== undefined) fail(`${field}.features[${j}]`, `feature '${name}' is already in ${other}`);
      featureOf.set(name, `code ${code}`);
    });
    return { code, text: text.trim(), features: features as string[] };
  });
  return {
    topN: integer(obj.top_n, 'reasons.top_n', fail, 1, 1000, DEFAULT_TOP_N),
    always,
    permutations,
    seed: integer(obj.seed, 'reasons.seed', fail, 0, 2 ** 31 - 1, DEFAULT_SEED),
    codes,
  };
}
