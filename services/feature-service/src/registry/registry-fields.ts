/** Reading one located definition of a registry file, with messages that name the file and field path. */
import { RegistryError } from './registry-error';
import type { Encoding, FeatureType, Scalar } from './registry-types';

export const NAME = /^[a-z][a-z0-9_]*$/;
export const MAX_NAME_LENGTH = 48;
const MAX_LEVEL_LENGTH = 255;
const ENCODINGS: readonly Encoding[] = ['ordinal', 'one_hot'];

export type Raw = Record<string, unknown>;

/** One definition with where it came from, so every message can name the file and field. */
export interface Located {
  file: string;
  path: string;
  raw: Raw;
}

/** Reads a field of a definition, checking types and reporting `file: path.field: problem`. */
export class Fields {
  constructor(readonly at: Located) {}

  error(field: string, problem: string): RegistryError {
    throw new RegistryError(this.at.file, field ? `${this.at.path}.${field}` : this.at.path, problem);
  }

  allowOnly(keys: readonly string[]): void {
    for (const key of Object.keys(this.at.raw)) {
      if (!keys.includes(key)) throw this.error(key, `unknown field (allowed: ${keys.join(', ')})`);
    }
  }

  name(field = 'name'): string {
    const value = this.at.raw[field];
    if (typeof value !== 'string' || !NAME.test(value) || value.length > MAX_NAME_LENGTH) {
      throw this.error(
        field,
        `expected a name matching [a-z][a-z0-9_]* of at most ${MAX_NAME_LENGTH} characters`,
      );
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const value = this.at.raw[field];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw this.error(field, `expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  text(field: string): string {
    const value = this.at.raw[field];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw this.error(field, 'expected text');
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.at.raw[field];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw this.error(field, 'expected true or false');
    return value;
  }

  list(field: string, required: boolean): unknown[] {
    const value = this.at.raw[field];
    if (value === undefined || value === null) {
      if (required) throw this.error(field, 'required: expected a non-empty list');
      return [];
    }
    if (!Array.isArray(value)) throw this.error(field, 'expected a list');
    if (required && value.length === 0) throw this.error(field, 'expected a non-empty list');
    return value;
  }

  /** Each item of a list of mappings, located. */
  mappings(field: string, required: boolean): Fields[] {
    return this.list(field, required).map((item, i) => {
      const at: Located = { file: this.at.file, path: `${this.at.path}.${field}[${i}]`, raw: item as Raw };
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new RegistryError(at.file, at.path, 'expected a mapping');
      }
      return new Fields(at);
    });
  }

  levels(type: FeatureType): string[] {
    if (type !== 'categorical') {
      if (this.at.raw.levels !== undefined)
        throw this.error('levels', 'only categorical features declare levels');
      return [];
    }
    const levels = this.list('levels', true);
    levels.forEach((level, i) => {
      if (typeof level !== 'string' || level.length === 0 || level.length > MAX_LEVEL_LENGTH) {
        throw this.error(`levels[${i}]`, `expected non-empty text of at most ${MAX_LEVEL_LENGTH} characters`);
      }
      if (levels.indexOf(level) !== i) throw this.error(`levels[${i}]`, `duplicate level '${level}'`);
    });
    return levels as string[];
  }

  encoding(type: FeatureType): Encoding {
    if (type !== 'categorical') {
      if (this.at.raw.encoding !== undefined)
        throw this.error('encoding', 'only categorical features have an encoding');
      return 'ordinal';
    }
    return this.oneOf('encoding', ENCODINGS, 'ordinal');
  }

  /** A default of the given type (a declared level for categoricals). */
  typedDefault(type: FeatureType, levels: readonly string[], field = 'default'): Exclude<Scalar, null> {
    const value = this.at.raw[field];
    if (value === undefined || value === null)
      throw this.error(field, `required: expected a ${type} default`);
    const problem = typeProblem(type, levels, value);
    if (problem !== undefined) throw this.error(field, problem);
    return value as Exclude<Scalar, null>;
  }
}

/** Why `value` is not a valid value of `type`, or undefined when it is. */
export function typeProblem(
  type: FeatureType,
  levels: readonly string[],
  value: unknown,
): string | undefined {
  switch (type) {
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a finite number';
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : 'expected an integer';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'categorical':
      return typeof value === 'string' && levels.includes(value)
        ? undefined
        : `expected one of the declared levels (${levels.join(', ')})`;
  }
}
