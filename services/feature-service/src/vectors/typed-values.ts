import type { common } from '@tally/contracts';
import { InvalidArgumentError } from '@tally/grpc-kit';
import type { FeatureType, KeyType, Scalar, TypedField } from '../registry';
import type { EntityKey } from '../store';

/** Longest string key or categorical level the store holds. */
export const MAX_TEXT_LENGTH = 255;

/** The largest finite float32: vectors are float32, so a float beyond it would reach a model as ±Inf. */
export const FLOAT32_MAX = 3.4028234663852886e38;

type Value = common.Value__Output;

/** What a Value holds, in words, for messages. */
function describe(value: Value): string {
  switch (value.kind) {
    case 'doubleValue':
      return `double ${value.doubleValue}`;
    case 'int64Value':
      return `int64 ${value.int64Value}`;
    case 'boolValue':
      return `bool ${value.boolValue}`;
    case 'stringValue':
      return `string '${truncate(value.stringValue ?? '')}'`;
    default:
      return 'null';
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** True when the Value carries nothing (no member set, or null_value). */
export function isNullValue(value: Value | undefined | null): boolean {
  return value === undefined || value === null || value.kind === undefined || value.kind === 'nullValue';
}

/** An entity key of the declared type; throws InvalidArgumentError naming `field`. */
export function readKey(value: Value | undefined, type: KeyType, field: string): EntityKey {
  if (value === undefined || isNullValue(value))
    throw new InvalidArgumentError(field, `required (${type} join key)`);
  if (type === 'int') {
    const n =
      value.kind === 'int64Value'
        ? value.int64Value
        : value.kind === 'doubleValue'
          ? value.doubleValue
          : undefined;
    if (n === undefined || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(field, `expected an int64 join key, got ${describe(value)}`);
    }
    return n;
  }
  if (value.kind !== 'stringValue' || (value.stringValue ?? '') === '') {
    throw new InvalidArgumentError(field, `expected a non-empty string join key, got ${describe(value)}`);
  }
  const text = value.stringValue!;
  if (text.length > MAX_TEXT_LENGTH) {
    throw new InvalidArgumentError(field, `join key longer than ${MAX_TEXT_LENGTH} characters`);
  }
  return text;
}

/**
 * A value of `field`'s type, or null when absent. Ints are accepted for floats, integral doubles for
 * ints; NaN and ±Inf are refused; a categorical must be one of the declared levels.
 */
export function readTyped(value: Value | undefined, field: TypedField, path: string): Scalar {
  if (value === undefined || isNullValue(value)) return null;
  const wrongType = (expected: string) =>
    new InvalidArgumentError(
      path,
      `expected ${expected} for ${field.type} '${field.name}', got ${describe(value)}`,
    );
  switch (field.type as FeatureType) {
    case 'float': {
      const n =
        value.kind === 'doubleValue'
          ? value.doubleValue
          : value.kind === 'int64Value'
            ? value.int64Value
            : undefined;
      if (n === undefined) throw wrongType('a double');
      if (!Number.isFinite(n)) throw new InvalidArgumentError(path, `NaN and infinities are not allowed`);
      if (Math.abs(n) > FLOAT32_MAX) {
        throw new InvalidArgumentError(
          path,
          `${n} is beyond float32's range (±${FLOAT32_MAX}); feature vectors are float32`,
        );
      }
      return n;
    }
    case 'int': {
      const n =
        value.kind === 'int64Value'
          ? value.int64Value
          : value.kind === 'doubleValue'
            ? value.doubleValue
            : undefined;
      if (n === undefined || !Number.isSafeInteger(n)) throw wrongType('an integer');
      return n;
    }
    case 'bool':
      if (value.kind !== 'boolValue') throw wrongType('a bool');
      return value.boolValue === true;
    case 'categorical': {
      if (value.kind !== 'stringValue') throw wrongType('a string level');
      const level = value.stringValue ?? '';
      if (!field.levels.includes(level)) {
        throw new InvalidArgumentError(
          path,
          `'${truncate(level)}' is not a declared level of '${field.name}' (${field.levels.join(', ')})`,
        );
      }
      return level;
    }
  }
}

/** A Value message for a scalar of `type`. */
export function toValue(scalar: Scalar | undefined, type: FeatureType): common.Value {
  if (scalar === null || scalar === undefined) return { nullValue: 'NULL_VALUE' };
  switch (type) {
    case 'float':
      return { doubleValue: Number(scalar) };
    case 'int':
      return { int64Value: Number(scalar) };
    case 'bool':
      return { boolValue: Boolean(scalar) };
    case 'categorical':
      return { stringValue: String(scalar) };
  }
}
