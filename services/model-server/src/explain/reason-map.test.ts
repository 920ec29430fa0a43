import { ExplanationFileError } from './explanation-file-error';
import { parseReasonConfig } from './reason-config';
import type { ReasonConfig } from './reason-config';
import { compileReasonMap, featureOfColumn, selectReasons } from './reason-map';

const FILE = 'models/m/config.yaml';
const COLUMNS = [
  'amount',
  'verification_status=Not_Verified',
  'verification_status=Source_Verified',
  'verification_status=Verified',
  'annual_inc',
  'log_annual_inc',
  'term',
];
const PRESENT = 'FEATURE_STATUS_PRESENT';
const DEFAULTED = 'FEATURE_STATUS_MISSING_DEFAULTED';

function fail(field: string, problem: string): never {
  throw new Error(`${FILE}: ${field}: ${problem}`);
}

function config(document: unknown): ReasonConfig {
  return parseReasonConfig(document, fail)!;
}

const DEMO = config({
  top_n: 3,
  codes: [
    { code: 'R01', features: ['amount'], text: 'The amount requested is high' },
    { code: 'R07', features: ['verification_status'], text: 'Income has not been verified' },
    { code: 'R05', features: ['annual_inc', 'log_annual_inc'], text: 'Income is low' },
    { code: 'R02', features: ['term'], text: 'The loan term is long' },
  ],
});

describe('reason map', () => {
  const map = compileReasonMap(DEMO, COLUMNS, FILE, 'credit_risk');
  const statuses = COLUMNS.map(() => PRESENT);

  it('groups the one-hot columns of a feature, and several features, into one reason', () => {
    expect(featureOfColumn('verification_status=Verified')).toBe('verification_status');
    const r07 = map.groups.find((g) => g.code === 'R07')!;
    expect(r07.columns).toEqual([
      'verification_status=Not_Verified',
      'verification_status=Source_Verified',
      'verification_status=Verified',
    ]);
    expect(r07.indices).toEqual([1, 2, 3]);
    // The three levels' attributions add up to one reason.
    const phi = [0.01, 0.2, -0.05, 0.1, 0, 0, 0];
    const reasons = selectReasons(map, phi, 0, statuses);
    expect(reasons[0]).toEqual({
      code: 'R07',
      text: 'Income has not been verified',
      features: ['verification_status'],
      columns: r07.columns,
      contribution: 0.25,
      defaulted: false,
    });
    // annual_inc and log_annual_inc: one reason with their sum.
    const income = selectReasons(map, [0, 0, 0, 0, 0.3, -0.1, 0], 0, statuses);
    expect(income.map((r) => [r.code, r.contribution])).toEqual([['R05', 0.3 - 0.1]]);
  });

  it('returns only reasons that raise the score, largest first, ties by code, at most top_n', () => {
    const phi = [0.4, 0, 0, 0, 0.2, 0, 0.2, /* second row */ 0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.7];
    // Row 0: amount 0.4, then R02 and R05 tie at 0.2 → by code; R07 (0) is left out.
    expect(selectReasons(map, phi, 0, statuses).map((r) => r.code)).toEqual(['R01', 'R02', 'R05']);
    // Row 1 (offset 7): R05 1.0, R02 0.7, R07 0.3, R01 0.1 → only the top 3.
    expect(selectReasons(map, phi, 7, statuses).map((r) => r.code)).toEqual(['R05', 'R02', 'R07']);
    // Nothing positive: no reasons.
    expect(selectReasons(map, [-1, 0, 0, 0, -0.1, 0, -2], 0, statuses)).toEqual([]);
  });

  it('marks a reason defaulted when any of its columns was not present', () => {
    const phi = [0.1, 0.1, 0, 0, 0.1, 0.1, 0.1];
    const withDefaults = [...statuses];
    withDefaults[3] = DEFAULTED; // one level of verification_status
    withDefaults[5] = 'FEATURE_STATUS_DERIVED_FROM_DEFAULT'; // log_annual_inc
    const reasons = selectReasons({ ...map, topN: 10 }, phi, 0, withDefaults);
    expect(Object.fromEntries(reasons.map((r) => [r.code, r.defaulted]))).toEqual({
      R05: true,
      R01: false,
      R02: false,
      R07: true,
    });
  });

  it('refuses a map naming a feature the feature set does not have, naming the file and field', () => {
    const unknown = config({
      codes: [...DEMO.codes.map((c) => ({ ...c })), { code: 'R09', features: ['term_length'], text: 'x' }],
    });
    expect(() => compileReasonMap(unknown, COLUMNS, FILE, 'credit_risk')).toThrow(ExplanationFileError);
    expect(() => compileReasonMap(unknown, COLUMNS, FILE, 'credit_risk')).toThrow(
      `${FILE}: reasons.codes[4].features[0]: unknown feature 'term_length': feature set 'credit_risk' has amount, verification_status, annual_inc, log_annual_inc, term`,
    );
  });

  it('refuses a map that leaves a feature of the set without a code', () => {
    const partial = config({ codes: DEMO.codes.filter((c) => c.code !== 'R05' && c.code !== 'R02') });
    expect(() => compileReasonMap(partial, COLUMNS, FILE, 'credit_risk')).toThrow(
      `${FILE}: reasons.codes: no reason code covers features 'annual_inc', 'log_annual_inc', 'term' of feature set 'credit_risk'`,
    );
  });
});

describe('reasons: in config.yaml', () => {
  it('has defaults for everything but the codes', () => {
    expect(config({ codes: [{ code: 'A', features: ['x'], text: ' t ' }] })).toEqual({
      topN: 4,
      always: false,
      permutations: 32,
      seed: 1,
      codes: [{ code: 'A', features: ['x'], text: 't' }],
    });
    expect(parseReasonConfig(undefined, fail)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['no codes', { top_n: 2 }, 'reasons.codes: expected a non-empty list'],
    ['an unknown field', { codes: [], topn: 1 }, 'reasons.topn: unknown field'],
    [
      'a feature in two codes',
      {
        codes: [
          { code: 'A', features: ['x'], text: 't' },
          { code: 'B', features: ['y', 'x'], text: 't' },
        ],
      },
      "reasons.codes[1].features[1]: feature 'x' is already in code A",
    ],
    [
      'a repeated code',
      {
        codes: [
          { code: 'A', features: ['x'], text: 't' },
          { code: 'A', features: ['y'], text: 't' },
        ],
      },
      "reasons.codes[1].code: 'A' is already reasons.codes[0]",
    ],
    [
      'an empty text',
      { codes: [{ code: 'A', features: ['x'], text: '' }] },
      'reasons.codes[0].text: expected a non-empty text',
    ],
    [
      'no features',
      { codes: [{ code: 'A', features: [], text: 't' }] },
      'reasons.codes[0].features: expected a non-empty list',
    ],
    [
      'an odd permutation count',
      { permutations: 7, codes: [{ code: 'A', features: ['x'], text: 't' }] },
      'reasons.permutations: expected an even number',
    ],
    [
      'a top_n of 0',
      { top_n: 0, codes: [{ code: 'A', features: ['x'], text: 't' }] },
      'reasons.top_n: expected an integer from 1 to 1000, got number 0',
    ],
    [
      'a non-boolean always',
      { always: 'yes', codes: [{ code: 'A', features: ['x'], text: 't' }] },
      'reasons.always: expected true or false',
    ],
  ])('refuses %s, naming the field', (_, document, message) => {
    expect(() => parseReasonConfig(document, fail)).toThrow(`${FILE}: ${message}`);
  });
});
