import type { model } from '@tally/contracts';
import { scoreResultJson, scoreText } from './score';

function response(overrides: Partial<model.ScoreResponse__Output> = {}): model.ScoreResponse__Output {
  return {
    score: 0.25,
    model: 'credit_flag',
    version: '2',
    requestId: 'r-1',
    featureIssues: [{ column: 'annual_inc', status: 'FEATURE_STATUS_MISSING_DEFAULTED' }],
    featureSet: 'credit_risk',
    featureSetFingerprint: 'abc',
    timing: { featuresUs: 1000, queueUs: 100, computeUs: 50, totalUs: 1200 },
    columns: [],
    featureValues: [],
    featureStatuses: [],
    policyVerdict: 'POLICY_VERDICT_FLAGGED',
    policyViolations: ['1 stored feature not present (at most 0 allowed): annual_inc (MISSING_DEFAULTED)'],
    decisionPolicy: 'max_stored_not_present: 0; on_violation: flag',
    canary: false,
    reasons: [],
    explanation: null,
    ...overrides,
  };
}

describe('tally score output', () => {
  it('puts a flagged verdict and what was not met right under the features', () => {
    expect(scoreText(response()).split('\n')).toEqual([
      'probability  0.250000',
      'model        credit_flag version 2 (feature set credit_risk)',
      'request id   r-1',
      'features     1 not present:',
      '             MISSING_DEFAULTED: annual_inc',
      'policy       FLAGGED: not met, answered because the policy says so (max_stored_not_present: 0; on_violation: flag):',
      '             1 stored feature not present (at most 0 allowed): annual_inc (MISSING_DEFAULTED)',
      'time         1.20 ms in the model-server (features 1.00 ms, queue 0.10 ms, compute 0.05 ms)',
    ]);
    expect(scoreResultJson(response())).toMatchObject({
      policyVerdict: 'POLICY_VERDICT_FLAGGED',
      policyViolations: [expect.stringContaining('annual_inc')],
      decisionPolicy: 'max_stored_not_present: 0; on_violation: flag',
    });
  });

  it('says when the policy was met, when there is none, and when the server gave no verdict', () => {
    const met: Partial<model.ScoreResponse__Output> = {
      policyVerdict: 'POLICY_VERDICT_MET',
      policyViolations: [],
    };
    expect(scoreText(response(met))).toMatch(
      /^policy {7}met \(max_stored_not_present: 0; on_violation: flag\)$/m,
    );
    expect(scoreText(response({ ...met, decisionPolicy: '' }))).toMatch(
      /^policy {7}met \(the model declares no decision policy\)$/m,
    );
    expect(
      scoreText(response({ policyVerdict: 'POLICY_VERDICT_UNSPECIFIED', policyViolations: [] })),
    ).toMatch(/^policy {7}unknown/m);
  });
});
