import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoIngestArgs } from '@tally/cli';
import { ScoringClient, double, int64 } from '@tally/client';
import { repoRoot } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { referenceRows } from './reference-rows';
import type { ReferenceRow } from './reference-rows';
import { DEMO_FILE, startFeatureService, startModelServer, tally } from './services';

type ScoreRequest = Parameters<ScoringClient['score']>[0];
type ScoreResponse = Awaited<ReturnType<ScoringClient['score']>>;

/**
 * The served explanations against the library that trained the model. Every reference row is scored
 * through the running services with include_reasons: on the trees version (1) each column's
 * attribution must equal xgboost's own pred_contribs (training/reference/credit_risk_contribs.jsonl,
 * written by training/train.py) to 1e-4, and their sum plus the bias must equal the margin; on the
 * MLP (2) the sampling-Shapley attributions must sum to score − f(baseline) to 1e-4.
 */
const TOLERANCE = 1e-4;
const CONCURRENCY = 16;
const REFERENCE = referenceRows();

interface Contribs {
  applicant_id: number;
  contributions: number[];
  bias: number;
  margin: number;
}

const CONTRIBS: Contribs[] = fs
  .readFileSync(path.join(repoRoot(), 'training/reference/credit_risk_contribs.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Contribs);

function request(row: ReferenceRow, version: string): ScoreRequest {
  return {
    model: 'credit_risk',
    version,
    entityKeys: { applicant_id: int64(row.applicant_id) },
    context: {
      amount: double(row.context.amount),
      term: int64(row.context.term),
      int_rate: double(row.context.int_rate),
      sub_grade: { stringValue: row.context.sub_grade },
    },
    includeFeatures: true,
    includeReasons: true,
  };
}

/** Each reason's contribution is its columns' sum; positive, largest first, at most 4 (the demo's top_n). */
function checkReasons(res: ScoreResponse): void {
  const contribution = new Map(res.columns.map((c, i) => [c, res.explanation!.contributions[i]!]));
  expect(res.reasons.length).toBeLessThanOrEqual(4);
  res.reasons.forEach((reason, i) => {
    const sum = reason.columns.reduce((s, c) => s + contribution.get(c)!, 0);
    expect(Math.abs(reason.contribution - sum)).toBeLessThan(1e-12);
    expect(reason.contribution).toBeGreaterThan(0);
    if (i > 0) expect(reason.contribution).toBeLessThanOrEqual(res.reasons[i - 1]!.contribution);
    expect(reason.defaulted).toBe(false);
  });
}

describe('served explanations of credit_risk vs the training library (real feature-service + model-server)', () => {
  let tmp: string;
  let featureService: ServiceProcess | undefined;
  let modelServer: ServiceProcess | undefined;
  let scoring: ScoringClient;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-reasons-parity-'));
    featureService = await startFeatureService(path.join(tmp, 'store.sqlite'));
    const run = await tally([...demoIngestArgs(DEMO_FILE, featureService.address), '--json']);
    if (run.code !== 0) throw new Error(`tally ingest exited ${run.code}: ${run.stderr}${run.stdout}`);
    modelServer = await startModelServer(featureService.address);
    scoring = new ScoringClient(modelServer.address, { deadlinesMs: { Score: 20_000, ScoreBatch: 30_000 } });
  }, 120_000);

  afterAll(async () => {
    scoring?.close();
    await modelServer?.stop();
    await featureService?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function scoreAll(version: string): Promise<ScoreResponse[]> {
    const results: ScoreResponse[] = [];
    for (let start = 0; start < REFERENCE.length; start += CONCURRENCY) {
      const chunk = REFERENCE.slice(start, start + CONCURRENCY);
      results.push(...(await Promise.all(chunk.map((row) => scoring.score(request(row, version))))));
    }
    return results;
  }

  it('has xgboost pred_contribs for every reference row', () => {
    expect(CONTRIBS.map((c) => c.applicant_id)).toEqual(REFERENCE.map((r) => r.applicant_id));
  });

  it('version 1 (trees): TreeSHAP equals xgboost pred_contribs to 1e-4 and sums with the bias to the margin', async () => {
    const results = await scoreAll('1');
    let worstColumn = 0;
    let worstMargin = 0;
    results.forEach((res, i) => {
      const expected = CONTRIBS[i]!;
      const explanation = res.explanation!;
      expect(res.version).toBe('1');
      expect(res.columns).toEqual(REFERENCE[i]!.columns);
      expect(explanation.method).toBe('tree_shap');
      expect(explanation.space).toBe('margin');
      expect(explanation.contributions).toHaveLength(expected.contributions.length);
      explanation.contributions.forEach((c, j) => {
        worstColumn = Math.max(worstColumn, Math.abs(c - expected.contributions[j]!));
      });
      const sum = explanation.contributions.reduce((a, b) => a + b, 0);
      worstMargin = Math.max(worstMargin, Math.abs(sum + explanation.baseValue - expected.margin));
      expect(Math.abs(explanation.baseValue - expected.bias)).toBeLessThan(TOLERANCE);
      expect(Math.abs(explanation.value - expected.margin)).toBeLessThan(TOLERANCE);
      // The margin is the served score's log-odds.
      expect(Math.abs(1 / (1 + Math.exp(-explanation.value)) - res.score)).toBeLessThan(1e-6);
      checkReasons(res);
    });
    console.log(
      `reasons parity v1: ${results.length} rows, max |served − pred_contribs| = ${worstColumn.toExponential(2)}, ` +
        `max |sum + bias − margin| = ${worstMargin.toExponential(2)}`,
    );
    expect(worstColumn).toBeLessThan(TOLERANCE);
    expect(worstMargin).toBeLessThan(TOLERANCE);
  }, 120_000);

  it('version 2 (MLP): sampling-Shapley attributions sum to score − f(baseline) to 1e-4', async () => {
    const results = await scoreAll('2');
    let worst = 0;
    const bases = new Set<number>();
    results.forEach((res) => {
      const explanation = res.explanation!;
      expect(res.version).toBe('2');
      expect(explanation.method).toBe('sampling_shapley');
      expect(explanation.space).toBe('score');
      const sum = explanation.contributions.reduce((a, b) => a + b, 0);
      worst = Math.max(worst, Math.abs(sum - (res.score - explanation.baseValue)));
      bases.add(explanation.baseValue);
      checkReasons(res);
    });
    console.log(
      `reasons parity v2: ${results.length} rows, max |sum − (score − base)| = ${worst.toExponential(2)}`,
    );
    expect(bases.size).toBe(1);
    expect(worst).toBeLessThan(TOLERANCE);
  }, 180_000);

  it('ScoreBatch gives every item the reasons Score gives it', async () => {
    const rows = REFERENCE.slice(0, 20);
    for (const version of ['1', '2']) {
      const batch = await scoring.scoreBatch({
        model: 'credit_risk',
        version,
        includeReasons: true,
        items: rows.map((row) => {
          const single = request(row, version);
          return { entityKeys: single.entityKeys, context: single.context };
        }),
      });
      const singles = await Promise.all(
        rows.map((row) => scoring.score({ ...request(row, version), includeFeatures: false })),
      );
      expect(batch.results.map((r) => r.reasons.map((x) => x.code))).toEqual(
        singles.map((r) => r.reasons.map((x) => x.code)),
      );
      batch.results.forEach((r, i) => {
        r.reasons.forEach((reason, k) => {
          expect(Math.abs(reason.contribution - singles[i]!.reasons[k]!.contribution)).toBeLessThan(1e-9);
        });
        expect(r.explanation!.contributions).toEqual([]);
      });
    }
  }, 120_000);
});
