import { parseAssignments, parseCommandValue, parseNumberFlag } from './command-values';
import { UsageError } from './usage-error';

describe('values typed on the command line', () => {
  it.each([
    ['17', 17],
    ['-3', -3],
    ['13.99', 13.99],
    ['1e3', 1000],
    ['true', true],
    ['false', false],
    ['C4', 'C4'],
    ['0x10', '0x10'],
    ['', ''],
  ])('%j is sent as %j', (text, expected) => {
    expect(parseCommandValue(text)).toEqual(expected);
  });

  it('reads NAME=VALUE pairs, and rejects malformed or repeated names', () => {
    expect(parseAssignments('context', ['amount=5000', 'sub_grade=C4', 'note=a=b'])).toEqual({
      amount: 5000,
      sub_grade: 'C4',
      note: 'a=b',
    });
    expect(() => parseAssignments('context', ['amount'])).toThrow(
      new UsageError('--context amount: expected NAME=VALUE'),
    );
    expect(() => parseAssignments('key', ['a=1', 'a=2'])).toThrow("--key: 'a' given twice");
  });

  it('number flags must be finite numbers (and integers where asked)', () => {
    expect(parseNumberFlag('amount', '5000.5')).toBe(5000.5);
    expect(() => parseNumberFlag('amount', 'Infinity')).toThrow(UsageError);
    expect(() => parseNumberFlag('amount', ' ')).toThrow("--amount: expected a number, got ' '");
    expect(() => parseNumberFlag('term', '36.5', { integer: true })).toThrow('--term: expected an integer');
  });
});
