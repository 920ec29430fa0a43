import type { PlainValue } from '@tally/client';
import { UsageError } from './usage-error';

/**
 * A value typed on the command line: an integer or decimal number becomes a number (so the client
 * sends int64 or double), `true`/`false` a boolean, anything else the text itself.
 */
export function parseCommandValue(text: string): PlainValue {
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** `NAME=VALUE` pairs (from repeated flags) as a map; a malformed or repeated pair is a usage error. */
export function parseAssignments(flag: string, pairs: readonly string[]): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(pair);
    if (match === null) throw new UsageError(`--${flag} ${pair}: expected NAME=VALUE`);
    const [, name, value] = match as unknown as [string, string, string];
    if (name in out) throw new UsageError(`--${flag}: '${name}' given twice`);
    out[name] = parseCommandValue(value);
  }
  return out;
}

/** A flag that must be a finite number. */
export function parseNumberFlag(flag: string, text: string, { integer = false } = {}): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${flag}: expected ${integer ? 'an integer' : 'a number'}, got '${text}'`);
  }
  return value;
}
