/**
 * Score and ScoreBatch end to end: a real feature-service (temp SQLite store, the repository's
 * registry) and a real model-server (the demo credit_risk models), as child processes. Needs
 * `npx tsc -b` first (the services run from dist/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeatureClient, ScoringClient, TallyClientError, toValueMap } from '@tally/client';
import type { model } from '@tally/contracts';
import { loadApplicants, referenceRows } from './demo-applicants';
import type { ReferenceRow } from './demo-applicants';
import { startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const REFERENCE = referenceRows().slice(0, 8);
/** An applicant id with no stored profile (the demo data has 9,857 rows). */
const UNKNOWN_APPLICANT = 999_999;

function scoreRequest(row: ReferenceRow, extra: Partial<model.ScoreRequest> = {}): model.ScoreRequest {
  return {
    model: 'credit_risk',
    entityKeys: toValueMap({ applicant_id: row.applicant_id }),
    context: toValueMap(row.context),
    ...extra,
  };
}

async function failure(call: Promise<unknown>): Promise<TallyClientError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TallyClientError) return err;
    throw err;
  }
  throw new Error('the call succeeded; a failure was expected');
}

describe('Score through both services', () => {
  let tmp: string;
  let featureService: RunningService;
  let modelServer: RunningService;
  let scoring: ScoringClient;
  let features: FeatureClient;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-score-'));
    featureService = await startFeatureService({ STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` });
    features = new FeatureClient(featureService.address, { retries: false });
    await loadApplicants(
      features,
      REFERENCE.map((r) => r.applicant_id),
    );
    modelServer = await startModelServer(featureService.address, { MAX_SCORE_BATCH_ITEMS: '100' });
    scoring = new ScoringClient(modelServer.address, { retries: false, deadlinesMs: { Score: 5000 } });
  }, 90000);

  afterAll(async () => {
    scoring?.close();
    features?.close();
    await modelServer?.process.stop();
    await featureService?.process.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it.each(['1', '2'])('scores reference rows with version %s as the training run did', async (version) => {
    for (const row of REFERENCE.slice(0, 4)) {
      const res = await scoring.score(scoreRequest(row, { version }));
      expect(res.model).toBe('credit_risk');
      expect(res.version).toBe(version);
      expect(Math.abs(res.score - row.expected[version]!)).toBeLessThan(1e-5);
      // Every stored feature was loaded, every context field sent: nothing defaulted.
      expect(res.featureIssues).toEqual([]);
      expect(res.featureSet).toBe('credit_risk');
      expect(res.featureSetFingerprint).toMatch(/^[0-9a-f]{8,}$/);
    }
  });

  it('answers with the newest ready version when none is asked for', async () => {
    const res = await scoring.score(scoreRequest(REFERENCE[0]!));
    expect(res.version).toBe('2');
    expect(Math.abs(res.score - REFERENCE[0]!.expected['2']!)).toBeLessThan(1e-5);
  });

  it('echoes the request id, or generates a unique one', async () => {
    const given = await scoring.score(scoreRequest(REFERENCE[0]!, { requestId: 'checkout-42' }));
    expect(given.requestId).toBe('checkout-42');
    const a = await scoring.score(scoreRequest(REFERENCE[0]!));
    const b = await scoring.score(scoreRequest(REFERENCE[0]!));
    expect(a.requestId).not.toBe('');
    expect(a.requestId).not.toBe(b.requestId);
  });

  it('returns the vector the model saw with include_features, equal to the reference vector', async () => {
    const row = REFERENCE[1]!;
    const res = await scoring.score(scoreRequest(row, { includeFeatures: true }));
    expect(res.columns).toEqual(row.columns);
    expect(res.featureValues).toHaveLength(row.vector.length);
    res.featureValues.forEach((v, i) => expect(v).toBeCloseTo(row.vector[i]!, 3));
    expect(new Set(res.featureStatuses)).toEqual(new Set(['FEATURE_STATUS_PRESENT']));
    const without = await scoring.score(scoreRequest(row));
    expect(without.columns).toEqual([]);
    expect(without.featureValues).toEqual([]);
  });

  it('refuses an applicant without a stored profile, naming the defaulted features (the demo decision policy)', async () => {
    const row = REFERENCE[0]!;
    const err = await failure(
      scoring.score(scoreRequest(row, { entityKeys: toValueMap({ applicant_id: UNKNOWN_APPLICANT }) })),
    );
    expect(err.codeName).toBe('FAILED_PRECONDITION');
    expect(err.details).toMatch(
      /the decision policy of model credit_risk refuses to decide on this vector \(max_stored_not_present: 0; on_violation: refuse\): 17 stored features not present \(at most 0 allowed\): annual_inc \(MISSING_DEFAULTED\), /,
    );
    // Request-time features are not the stored ones the policy counts.
    expect(err.details).not.toMatch(/\bamount\b/);
  });

  it('says which features were defaulted, and that the policy was met', async () => {
    const row = REFERENCE[0]!;
    const { int_rate: _rate, ...context } = row.context;
    const res = await scoring.score(
      scoreRequest(row, { context: toValueMap(context), includeFeatures: true }),
    );
    expect(res.featureIssues).toEqual([
      { column: 'int_rate', status: 'FEATURE_STATUS_MISSING_DEFAULTED' },
      { column: 'monthly_payment', status: 'FEATURE_STATUS_DERIVED_FROM_DEFAULT' },
      { column: 'payment_to_income', status: 'FEATURE_STATUS_DERIVED_FROM_DEFAULT' },
    ]);
    // The issues are exactly the non-PRESENT statuses of the vector.
    const fromVector = res.columns.filter((_, i) => res.featureStatuses[i] !== 'FEATURE_STATUS_PRESENT');
    expect(res.featureIssues.map((i) => i.column)).toEqual(fromVector);
    expect(res.policyVerdict).toBe('POLICY_VERDICT_MET');
    expect(res.score).toBeGreaterThanOrEqual(0);
    expect(res.score).toBeLessThanOrEqual(1);
  });

  it('reports where the time went', async () => {
    const res = await scoring.score(scoreRequest(REFERENCE[2]!));
    const t = res.timing!;
    expect(t.featuresUs).toBeGreaterThan(0);
    expect(t.computeUs).toBeGreaterThan(0);
    expect(t.totalUs).toBeGreaterThanOrEqual(t.featuresUs + t.queueUs);
  });

  it('scores a batch in request order, each item as Score would', async () => {
    const items = REFERENCE.map((row, i) => ({
      entityKeys: toValueMap({ applicant_id: row.applicant_id }),
      context: toValueMap(row.context),
      requestId: i % 2 === 0 ? `item-${i}` : '',
    }));
    const res = await scoring.scoreBatch({ model: 'credit_risk', version: '1', items });
    expect(res.results).toHaveLength(REFERENCE.length);
    res.results.forEach((r, i) => {
      expect(r.version).toBe('1');
      expect(Math.abs(r.score - REFERENCE[i]!.expected['1']!)).toBeLessThan(1e-5);
      if (i % 2 === 0) expect(r.requestId).toBe(`item-${i}`);
      else expect(r.requestId).not.toBe('');
    });
  });

  it('splits a batch larger than max_batch_size (64) across batcher requests', async () => {
    const items = Array.from({ length: 100 }, (_, i) => {
      const row = REFERENCE[i % REFERENCE.length]!;
      return { entityKeys: toValueMap({ applicant_id: row.applicant_id }), context: toValueMap(row.context) };
    });
    const res = await scoring.scoreBatch({ model: 'credit_risk', items });
    expect(res.results).toHaveLength(100);
    res.results.forEach((r, i) => {
      expect(Math.abs(r.score - REFERENCE[i % REFERENCE.length]!.expected['2']!)).toBeLessThan(1e-5);
    });
  });

  it('refuses a batch above MAX_SCORE_BATCH_ITEMS, and an empty one, naming items', async () => {
    const row = REFERENCE[0]!;
    const item = {
      entityKeys: toValueMap({ applicant_id: row.applicant_id }),
      context: toValueMap(row.context),
    };
    const tooMany = await failure(
      scoring.scoreBatch({ model: 'credit_risk', items: Array.from({ length: 101 }, () => item) }),
    );
    expect(tooMany.codeName).toBe('INVALID_ARGUMENT');
    expect(tooMany.details).toMatch(/^items: 101 items exceed the limit of 100/);
    const empty = await failure(scoring.scoreBatch({ model: 'credit_risk', items: [] }));
    expect(empty.codeName).toBe('INVALID_ARGUMENT');
    expect(empty.details).toMatch(/^items: /);
  });

  it('answers NOT_FOUND for an unknown model or version', async () => {
    const row = REFERENCE[0]!;
    const unknownModel = await failure(scoring.score(scoreRequest(row, { model: 'no_such_model' })));
    expect(unknownModel.codeName).toBe('NOT_FOUND');
    expect(unknownModel.details).toContain("'no_such_model'");
    const unknownVersion = await failure(scoring.score(scoreRequest(row, { version: '9' })));
    expect(unknownVersion.codeName).toBe('NOT_FOUND');
    expect(unknownVersion.details).toContain('credit_risk/9');
  });

  it('relays a bad context as INVALID_ARGUMENT naming context.<field>', async () => {
    const row = REFERENCE[0]!;
    const unknownField = await failure(
      scoring.score(scoreRequest(row, { context: toValueMap({ ...row.context, colour: 'red' }) })),
    );
    expect(unknownField.codeName).toBe('INVALID_ARGUMENT');
    expect(unknownField.details).toMatch(/^feature-service: context\.colour: /);
    const badLevel = await failure(
      scoring.score(scoreRequest(row, { context: toValueMap({ ...row.context, sub_grade: 'Z9' }) })),
    );
    expect(badLevel.codeName).toBe('INVALID_ARGUMENT');
    expect(badLevel.details).toMatch(/^feature-service: context\.sub_grade: /);
    const { term: _term, ...withoutTerm } = row.context;
    const missing = await failure(scoring.score(scoreRequest(row, { context: toValueMap(withoutTerm) })));
    expect(missing.codeName).toBe('INVALID_ARGUMENT');
    expect(missing.details).toMatch(/^feature-service: context\.term: required/);
  });

  it('refuses a context value beyond float32 (amount = 1e300) as INVALID_ARGUMENT naming it, not INTERNAL', async () => {
    const row = REFERENCE[0]!;
    const huge = await failure(
      scoring.score(
        scoreRequest(row, { context: { ...toValueMap(row.context), amount: { doubleValue: 1e300 } } }),
      ),
    );
    expect(huge.codeName).toBe('INVALID_ARGUMENT');
    expect(huge.details).toMatch(/^feature-service: context\.amount: 1e\+300 is beyond float32's range/);
  });

  it("names the caller's own fields for bad entity keys (Score and ScoreBatch)", async () => {
    const row = REFERENCE[0]!;
    const badKey = await failure(
      scoring.score(scoreRequest(row, { entityKeys: toValueMap({ applicant_id: 'seventeen' }) })),
    );
    expect(badKey.codeName).toBe('INVALID_ARGUMENT');
    expect(badKey.details).toMatch(/^feature-service: entity_keys\.applicant_id: /);
    const good = {
      entityKeys: toValueMap({ applicant_id: row.applicant_id }),
      context: toValueMap(row.context),
    };
    const batch = await failure(
      scoring.scoreBatch({
        model: 'credit_risk',
        items: [good, { ...good, context: toValueMap({ ...row.context, amount: 'lots' }) }],
      }),
    );
    expect(batch.codeName).toBe('INVALID_ARGUMENT');
    expect(batch.details).toMatch(/^feature-service: items\[1\]\.context\.amount: /);
  });

  it('refuses bad scoring options before fetching features', async () => {
    const row = REFERENCE[0]!;
    const noModel = await failure(scoring.score(scoreRequest(row, { model: '' })));
    expect(noModel.codeName).toBe('INVALID_ARGUMENT');
    expect(noModel.details).toMatch(/^model: required/);
    const badPriority = await failure(scoring.score(scoreRequest(row, { priority: 7 })));
    expect(badPriority.codeName).toBe('INVALID_ARGUMENT');
    expect(badPriority.details).toMatch(/^priority: 7 is not a priority level/);
    const longId = await failure(scoring.score(scoreRequest(row, { requestId: 'x'.repeat(300) })));
    expect(longId.codeName).toBe('INVALID_ARGUMENT');
    expect(longId.details).toMatch(/^request_id: /);
  });
});
