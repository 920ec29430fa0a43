/** How a challenger version takes part in decisions (docs/model-repository.md, `challenger`). */
export type ChallengerMode = 'shadow' | 'canary';

export interface ChallengerConfig {
  /** The challenger's version; it must be loaded by the version policy to take part. */
  readonly version: number;
  readonly mode: ChallengerMode;
  /** canary: the share of entities (by a stable hash of their keys) the challenger answers. */
  readonly canaryFraction: number;
  /** Two scores agree when both are at or above it, or both below (the decision cut-off). */
  readonly agreementThreshold: number;
  /** Challenger scorings in flight at once; more are dropped (counted), never waited for. */
  readonly maxInFlight: number;
}

const KEYS = ['version', 'mode', 'canary_fraction', 'agreement_threshold', 'max_in_flight'] as const;

type Fail = (field: string, problem: string) => never;

function shown(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? 'a mapping or list' : JSON.stringify(value);
}

function numberIn(
  obj: Record<string, unknown>,
  key: string,
  fail: Fail,
  min: number,
  max: number,
  fallback: number | undefined,
  integer = false,
): number {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (fallback === undefined) return fail(`challenger.${key}`, 'required');
    return fallback;
  }
  if (typeof value !== 'number' || !(value >= min && value <= max) || (integer && !Number.isInteger(value))) {
    return fail(
      `challenger.${key}`,
      `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${shown(value)}`,
    );
  }
  return value;
}

/** Validates a model config's `challenger` mapping; undefined when the config has none. */
export function parseChallengerConfig(value: unknown, fail: Fail): ChallengerConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    return fail('challenger', `expected a mapping, got ${shown(value)}`);
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      fail(`challenger.${key}`, `unknown field (expected one of ${KEYS.join(', ')})`);
    }
  }
  const version = numberIn(obj, 'version', fail, 1, 999_999_999, undefined, true);
  const mode = obj.mode ?? 'shadow';
  if (mode !== 'shadow' && mode !== 'canary') {
    return fail('challenger.mode', `expected shadow or canary, got ${shown(mode)}`);
  }
  const canaryFraction = mode === 'canary' ? numberIn(obj, 'canary_fraction', fail, 0, 1, undefined) : 0;
  if (mode === 'shadow' && obj.canary_fraction !== undefined) {
    fail('challenger.canary_fraction', 'only applies to mode canary');
  }
  return {
    version,
    mode,
    canaryFraction,
    agreementThreshold: numberIn(obj, 'agreement_threshold', fail, -1e9, 1e9, 0.5),
    maxInFlight: numberIn(obj, 'max_in_flight', fail, 1, 100_000, 64, true),
  };
}
