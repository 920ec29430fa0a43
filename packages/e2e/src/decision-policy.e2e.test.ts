/**
 * A model's decision policy (config decision_policy): a vector with defaulted or stale stored features,
 * or without a required feature, is refused (FAILED_PRECONDITION naming the features) or answered
 * flagged, per model. Real feature-service and model-server processes; the demo model (version 2)
 * under three configs. Needs `tsc -b` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeatureClient, ScoringClient, TallyClientError, toValueMap } from '@tally/client';
import type { model } from '@tally/contracts';
import { loadApplicants, referenceRows } from './demo-applicants';
import { demoModelRepository, eventually } from './schema-fixtures';
import { startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const KNOWN = referenceRows()[0]!;
/** An applicant id with no stored profile (the demo data has 9,857 rows). */
const UNKNOWN_APPLICANT = 99_999_999;
const DEMO_POLICY = 'max_stored_not_present: 0; on_violation: refuse';
const FLAG_POLICY = 'required_present: [int_rate]; max_stored_not_present: 0; on_violation: flag';

/** The demo config with its decision_policy block (the last one) replaced by `block`. */
const withPolicy = (block: string) => (yaml: string) => {
  const at = yaml.indexOf('\ndecision_policy:');
  if (at < 0) throw new Error('the demo config has no decision_policy');
  return `${yaml.slice(0, at + 1)}${block}`;
};

async function failure(call: Promise<unknown>): Promise<TallyClientError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TallyClientError) return err;
    throw err;
  }
  throw new Error('the call succeeded; a failure was expected');
}

describe('decision policy', () => {
  let tmp: string;
  let featureService: RunningService;
  let modelServer: RunningService;
  let scoring: ScoringClient;

  const request = (
    model: string,
    applicant: number,
    context: Record<string, number | string> = KNOWN.context,
  ) => ({
    model,
    entityKeys: toValueMap({ applicant_id: applicant }),
    context: toValueMap(context),
  });

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-policy-'));
    featureService = await startFeatureService({ STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` });
    const features = new FeatureClient(featureService.address, { retries: false });
    try {
      await loadApplicants(features, [KNOWN.applicant_id]);
    } finally {
      features.close();
    }
    const repository = demoModelRepository(tmp, [
      { name: 'credit_risk', versions: [2] },
      {
        name: 'credit_flag',
        versions: [2],
        config: withPolicy(
          'decision_policy:\n  required_present: [int_rate]\n  max_stored_not_present: 0\n  on_violation: flag\n',
        ),
      },
      {
        name: 'credit_typo',
        versions: [2],
        config: withPolicy('decision_policy:\n  required_present: [annual_incme]\n'),
      },
    ]);
    modelServer = await startModelServer(featureService.address, { MODEL_REPOSITORY: repository });
    scoring = new ScoringClient(modelServer.address, { retries: false });
    await eventually('every model loaded', async () => {
      const { models } = await scoring.listModels();
      const loading = models.some((m) => m.versions.some((v) => v.state === 'MODEL_VERSION_STATE_LOADING'));
      return models.length === 3 && !loading ? models : undefined;
    });
  }, 90000);

  afterAll(async () => {
    scoring?.close();
    await modelServer?.process.stop();
    await featureService?.process.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('leaves a known applicant unaffected: the score of training, the policy met', async () => {
    for (const name of ['credit_risk', 'credit_flag']) {
      const res = await scoring.score(request(name, KNOWN.applicant_id));
      expect(Math.abs(res.score - KNOWN.expected['2']!)).toBeLessThan(1e-5);
      expect(res.featureIssues).toEqual([]);
      expect(res.policyVerdict).toBe('POLICY_VERDICT_MET');
      expect(res.policyViolations).toEqual([]);
      expect(res.decisionPolicy).toBe(name === 'credit_risk' ? DEMO_POLICY : FLAG_POLICY);
    }
  });

  it('refuses an applicant the store does not hold (the demo policy), naming the features', async () => {
    const err = await failure(scoring.score(request('credit_risk', UNKNOWN_APPLICANT)));
    expect(err.codeName).toBe('FAILED_PRECONDITION');
    expect(err.details).toContain(
      `the decision policy of model credit_risk refuses to decide on this vector (${DEMO_POLICY})`,
    );
    expect(err.details).toMatch(
      /17 stored features not present \(at most 0 allowed\): annual_inc \(MISSING_DEFAULTED\), emp_length \(MISSING_DEFAULTED\), verification_status \(MISSING_DEFAULTED\), /,
    );
    expect(err.details).toContain('total_il_high_credit_limit (MISSING_DEFAULTED)');
  });

  it('answers flagged under on_violation: flag, saying what was not met', async () => {
    const res = await scoring.score(request('credit_flag', UNKNOWN_APPLICANT));
    expect(res.policyVerdict).toBe('POLICY_VERDICT_FLAGGED');
    expect(res.policyViolations).toHaveLength(1);
    expect(res.policyViolations[0]).toMatch(
      /^17 stored features not present \(at most 0 allowed\): annual_inc \(MISSING_DEFAULTED\)/,
    );
    expect(res.score).toBeGreaterThanOrEqual(0);
    expect(res.score).toBeLessThanOrEqual(1);
    expect(res.featureIssues.map((i) => i.column)).toContain('annual_inc');
  });

  it('flags a required feature that was defaulted, and the demo policy does not require it', async () => {
    const { int_rate: _rate, ...withoutRate } = KNOWN.context;
    const flagged = await scoring.score(request('credit_flag', KNOWN.applicant_id, withoutRate));
    expect(flagged.policyVerdict).toBe('POLICY_VERDICT_FLAGGED');
    expect(flagged.policyViolations).toEqual(['required feature not present: int_rate (MISSING_DEFAULTED)']);
    const met = await scoring.score(request('credit_risk', KNOWN.applicant_id, withoutRate));
    expect(met.policyVerdict).toBe('POLICY_VERDICT_MET');
    expect(met.featureIssues).toContainEqual({
      column: 'int_rate',
      status: 'FEATURE_STATUS_MISSING_DEFAULTED',
    });
  });

  it('applies the policy to each ScoreBatch item: a refused item fails the call naming it', async () => {
    const items = [KNOWN.applicant_id, UNKNOWN_APPLICANT].map((id) => ({
      entityKeys: toValueMap({ applicant_id: id }),
      context: toValueMap(KNOWN.context),
    }));
    const err = await failure(scoring.scoreBatch({ model: 'credit_risk', items }));
    expect(err.codeName).toBe('FAILED_PRECONDITION');
    expect(err.details).toMatch(/^items\[1\]: the decision policy of model credit_risk refuses/);
    const flagged = await scoring.scoreBatch({ model: 'credit_flag', items });
    expect(flagged.results.map((r) => r.policyVerdict)).toEqual([
      'POLICY_VERDICT_MET',
      'POLICY_VERDICT_FLAGGED',
    ]);
  });

  it('reports each policy in ListModels, and refuses a version whose policy names no feature of its set', async () => {
    const { models } = await scoring.listModels();
    const byName = new Map(models.map((m) => [m.name, m] as [string, model.ModelStatus__Output]));
    expect(byName.get('credit_risk')!.decisionPolicy).toEqual({
      requiredPresent: [],
      maxStoredNotPresent: 0,
      onViolation: 'refuse',
      summary: DEMO_POLICY,
    });
    expect(byName.get('credit_flag')!.decisionPolicy?.summary).toBe(FLAG_POLICY);
    const typo = byName.get('credit_typo')!.versions[0]!;
    expect(typo.state).toBe('MODEL_VERSION_STATE_FAILED');
    expect(typo.reason).toBe(
      "config decision_policy.required_present[0]: 'annual_incme' is not a feature of feature set 'credit_risk'",
    );
  });
});
