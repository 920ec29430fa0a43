import type { feature } from '@tally/contracts';
import { parseModelConfig } from '../repository/model-config';
import { policySummary, policyViolations } from './decision-policy';
import type { PinnedColumn, PinnedSchema } from './schema-pin';

const FILE = 'models/credit_risk/config.yaml';
const base = { feature_set: 'credit_risk', input: 'features', score_output: 'probabilities' };

const parse = (policy: unknown) =>
  parseModelConfig('credit_risk', FILE, { ...base, decision_policy: policy });

function problem(policy: unknown): string {
  try {
    parse(policy);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the policy to be refused');
}

const column = (name: string, feature: string, source: string): PinnedColumn => ({
  name,
  feature,
  source,
  view: source === 'stored' ? 'profile' : '',
  type: 'float',
  encoding: '',
  levels: [],
  default: 0,
});

const SCHEMA: PinnedSchema = {
  format: 'tally.model-schema/v1',
  feature_set: 'credit_risk',
  fingerprint: 'f',
  columns: [
    column('amount', 'amount', 'request'),
    column('int_rate', 'int_rate', 'request'),
    column('income', 'income', 'stored'),
    column('status=a', 'status', 'stored'),
    column('status=b', 'status', 'stored'),
    column('ratio', 'ratio', 'on_demand'),
  ],
};

describe('decision policy', () => {
  it('reads the documented fields; refuse is the default action', () => {
    expect(parse({ required_present: ['int_rate'], max_stored_not_present: 0 }).decisionPolicy).toEqual({
      requiredPresent: ['int_rate'],
      maxStoredNotPresent: 0,
      onViolation: 'refuse',
    });
    expect(parse(undefined).decisionPolicy).toBeUndefined();
    expect(policySummary(parse({ max_stored_not_present: 2, on_violation: 'flag' }).decisionPolicy)).toBe(
      'max_stored_not_present: 2; on_violation: flag',
    );
  });

  it.each([
    [{ on_violation: 'refuse' }, 'decision_policy: declares no requirement'],
    [{ max_stored_not_present: -1 }, 'decision_policy.max_stored_not_present: expected an integer from 0'],
    [
      { max_stored_not_present: 1, on_violation: 'warn' },
      'decision_policy.on_violation: expected refuse or flag',
    ],
    [{ required_present: 'int_rate' }, 'decision_policy.required_present: expected a list of feature names'],
    [{ required_present: ['int_rate', ''] }, 'decision_policy.required_present[1]: expected a feature name'],
    [{ max_stored_not_present: 1, refuse: true }, 'decision_policy.refuse: unknown field'],
  ])('refuses %j naming the field', (policy, message) => {
    expect(problem(policy)).toContain(`${FILE}: ${message}`);
  });

  it('counts stored features (a one-hot feature once) and names required ones, with their statuses', () => {
    const policy = parse({ required_present: ['int_rate'], max_stored_not_present: 1 }).decisionPolicy;
    const present: feature.FeatureStatus__Output[] = SCHEMA.columns.map(() => 'FEATURE_STATUS_PRESENT');
    expect(policyViolations(policy, SCHEMA, present)).toEqual([]);
    // One stored feature over two columns, and an on-demand one: within the limit of 1.
    const oneStored = [...present];
    oneStored[3] = 'FEATURE_STATUS_STALE_KEPT';
    oneStored[4] = 'FEATURE_STATUS_STALE_KEPT';
    oneStored[5] = 'FEATURE_STATUS_DERIVED_FROM_DEFAULT';
    expect(policyViolations(policy, SCHEMA, oneStored)).toEqual([]);
    const both = [...oneStored];
    both[1] = 'FEATURE_STATUS_MISSING_DEFAULTED';
    both[2] = 'FEATURE_STATUS_MISSING_DEFAULTED';
    expect(policyViolations(policy, SCHEMA, both)).toEqual([
      'required feature not present: int_rate (MISSING_DEFAULTED)',
      '2 stored features not present (at most 1 allowed): income (MISSING_DEFAULTED), status (STALE_KEPT)',
    ]);
  });
});
