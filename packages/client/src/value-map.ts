import type { common } from '@tally/contracts';

/** A plain JS value that `toValue` turns into a `tally.common.v1.Value`. */
export type PlainValue = number | bigint | boolean | string | null | undefined | common.Value;

const VALUE_KINDS = ['doubleValue', 'int64Value', 'boolValue', 'stringValue', 'nullValue'] as const;

function isValue(x: unknown): x is common.Value {
  if (typeof x !== 'object' || x === null) return false;
  const keys = Object.keys(x).filter((k) => k !== 'kind');
  return keys.length === 1 && (VALUE_KINDS as readonly string[]).includes(keys[0]!);
}

/** Forces a double, for a whole number that is a float feature (e.g. `double(5000)`). */
export function double(n: number): common.Value {
  if (!Number.isFinite(n)) throw new TypeError(`double(${n}): NaN and ±Infinity are not values`);
  return { doubleValue: n };
}

/** Forces an int64 (a bigint or a safe integer). */
export function int64(n: number | bigint): common.Value {
  if (typeof n === 'bigint') return { int64Value: n.toString() };
  if (!Number.isSafeInteger(n)) throw new TypeError(`int64(${n}): not a safe integer (pass a bigint)`);
  return { int64Value: n };
}

/**
 * One plain value as a `Value`. The rule for numbers: an integer (`Number.isInteger`) becomes
 * int64, anything else a double — so `5000` is int64 and `5000.5` a double. The feature-service
 * accepts int64 for float fields, so whole amounts need no care; use `double(5000)` to force a
 * double anyway. bigint → int64; string, boolean as is; null/undefined → null (default applies).
 * A Value object (e.g. from `double()`) passes through. NaN, ±Infinity and unsafe integers throw.
 */
export function toValue(value: PlainValue, field = 'value'): common.Value {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'bigint':
      return { int64Value: value.toString() };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${field}: ${value} is not a valid value`);
      if (Number.isInteger(value)) {
        if (!Number.isSafeInteger(value)) {
          throw new TypeError(`${field}: ${value} is beyond 2^53; pass a bigint or double(${value})`);
        }
        return { int64Value: value };
      }
      return { doubleValue: value };
    default:
      if (isValue(value)) return value;
      throw new TypeError(`${field}: cannot send a ${typeof value} as a Value`);
  }
}

/** A map of plain values as `map<string, Value>`: `toValueMap({applicant_id: 17, sub_grade: 'C1'})`. */
export function toValueMap(values: Record<string, PlainValue>): Record<string, common.Value> {
  return Object.fromEntries(Object.entries(values).map(([key, v]) => [key, toValue(v, key)]));
}

/** A received `Value` as a plain JS value (int64 as number; null when no member is set). */
export function fromValue(value: common.Value__Output | undefined): number | boolean | string | null {
  switch (value?.kind) {
    case 'doubleValue':
      return value.doubleValue ?? 0;
    case 'int64Value':
      return Number(value.int64Value ?? 0);
    case 'boolValue':
      return value.boolValue ?? false;
    case 'stringValue':
      return value.stringValue ?? '';
    default:
      return null;
  }
}

export function fromValueMap(
  values: Record<string, common.Value__Output>,
): Record<string, number | boolean | string | null> {
  return Object.fromEntries(Object.entries(values).map(([key, v]) => [key, fromValue(v)]));
}
