/**
 * Champion/challenger with the real demo versions (1: trees, 2: MLP) in a copy of the model
 * repository: shadow never changes the answer and logs both decisions under one request id; a
 * canary answers a stable slice of entities with the challenger. Needs `tsc -b` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DecisionLogClient, FeatureClient, ScoringClient, toValueMap } from '@tally/client';
import type { model } from '@tally/contracts';
import { loadApplicants, referenceRows } from './demo-applicants';
import { DEMO_MODELS, metricSum, scrapeMetrics, startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const ROWS = referenceRows().slice(0, 24);

let tmp: string;
let featureService: RunningService;
let features: FeatureClient;

/** A copy of the demo repository whose credit_risk config ends with `challenger`. */
function repositoryWith(name: string, challenger: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(DEMO_MODELS, 'credit_risk'), path.join(dir, 'credit_risk'), { recursive: true });
  const config = path.join(dir, 'credit_risk/config.yaml');
  // Flag rather than refuse a vector with defaulted stored features, so the feature counters can be seen.
  const text = fs.readFileSync(config, 'utf8').replace('on_violation: refuse', 'on_violation: flag');
  fs.writeFileSync(config, `${text}challenger:\n${challenger}`);
  return dir;
}

function request(i: number, extra: Partial<model.ScoreRequest> = {}): model.ScoreRequest {
  const row = ROWS[i % ROWS.length]!;
  return {
    model: 'credit_risk',
    entityKeys: toValueMap({ applicant_id: row.applicant_id }),
    context: toValueMap(row.context),
    ...extra,
  };
}

async function logged(log: DecisionLogClient, requestId: string, records: number) {
  for (let i = 0; ; i += 1) {
    try {
      const { decisions } = await log.getDecision({ requestId });
      if (decisions.length >= records || i > 100) return decisions;
    } catch (err) {
      if (i > 100) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-challengers-'));
  featureService = await startFeatureService({ STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` });
  features = new FeatureClient(featureService.address, { retries: false });
  await loadApplicants(
    features,
    ROWS.map((r) => r.applicant_id),
  );
}, 90000);

afterAll(async () => {
  features?.close();
  await featureService?.process.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('challengers', () => {
  it('shadow: the champion answers unchanged, the challenger is logged beside it, bounded', async () => {
    const server = await startModelServer(featureService.address, {
      MODEL_REPOSITORY: repositoryWith('shadow', '  version: 1\n  mode: shadow\n  max_in_flight: 2\n'),
      DECISION_SHIP_INTERVAL_MS: '20',
    });
    const scoring = new ScoringClient(server.address, { retries: false, deadlinesMs: { Score: 10000 } });
    const log = new DecisionLogClient(server.address, { retries: false });
    try {
      const { models } = await scoring.listModels();
      expect(models.find((m) => m.name === 'credit_risk')!.challenger).toEqual({
        version: '1',
        mode: 'shadow',
        canaryFraction: 0,
      });
      const n = 8;
      for (let i = 0; i < n; i += 1) {
        const id = `shadow-${i}`;
        const res = await scoring.score(request(i, { requestId: id }));
        // The answer is version 2's, exactly as when version 2 is asked for (no challenger then).
        const direct = await scoring.score(request(i, { version: '2' }));
        const trees = await scoring.score(request(i, { version: '1' }));
        expect(res.version).toBe('2');
        expect(res.canary).toBe(false);
        expect(res.score).toBe(direct.score);
        const decisions = await logged(log, id, 2);
        expect(decisions.map((d) => `${d.role}:${d.version}`)).toEqual(['served:2', 'shadow:1']);
        expect(decisions[0]!.score).toBe(res.score);
        expect(decisions[1]!.score).toBe(trees.score);
        expect(decisions[1]!.featureValues).toEqual(decisions[0]!.featureValues);
      }
      let metrics = await scrapeMetrics(server);
      expect(metricSum(metrics, 'tally_challenger_agreement_total', { challenger: '1', champion: '2' })).toBe(
        n,
      );
      expect(metricSum(metrics, 'tally_challenger_score_delta_count', { challenger: '1' })).toBe(n);
      expect(metricSum(metrics, 'tally_challenger_scorings_total', { outcome: 'scored' })).toBe(n);

      // A burst: every answer is the champion's; what exceeds max_in_flight is dropped, not waited for.
      const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => scoring.score(request(i))));
      expect(burst.every((r) => r.version === '2')).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      metrics = await scrapeMetrics(server);
      const dropped = metricSum(metrics, 'tally_challenger_scorings_total', { outcome: 'dropped' });
      const scored = metricSum(metrics, 'tally_challenger_scorings_total', { outcome: 'scored' });
      expect(dropped).toBeGreaterThan(0);
      expect(dropped + scored).toBe(n + 40);

      // Score monitoring: every answer is in the served-score histogram of the version that answered.
      expect(metricSum(metrics, 'tally_served_score_count', { version: '2' })).toBe(2 * n + 40);
      expect(metricSum(metrics, 'tally_served_score_count', { version: '1' })).toBe(n);
      expect(metricSum(metrics, 'tally_served_feature_issues_total')).toBe(0);
      // An applicant the store does not hold: each stored feature is counted as defaulted.
      const flagged = await scoring.score({
        ...request(0),
        entityKeys: toValueMap({ applicant_id: 999_999 }),
      });
      expect(flagged.policyVerdict).toBe('POLICY_VERDICT_FLAGGED');
      metrics = await scrapeMetrics(server);
      expect(
        metricSum(metrics, 'tally_served_feature_issues_total', {
          feature: 'annual_inc',
          status: 'defaulted',
        }),
      ).toBe(1);
    } finally {
      scoring.close();
      log.close();
      await server.process.stop();
    }
  }, 120000);

  it('canary: a stable slice of entities is answered by the challenger, the champion logged beside it', async () => {
    const server = await startModelServer(featureService.address, {
      MODEL_REPOSITORY: repositoryWith('canary', '  version: 1\n  mode: canary\n  canary_fraction: 0.5\n'),
      DECISION_SHIP_INTERVAL_MS: '20',
    });
    const scoring = new ScoringClient(server.address, { retries: false, deadlinesMs: { Score: 10000 } });
    const log = new DecisionLogClient(server.address, { retries: false });
    try {
      const versions: string[] = [];
      for (let i = 0; i < ROWS.length; i += 1) {
        const res = await scoring.score(request(i, { requestId: `canary-${i}` }));
        const again = await scoring.score(request(i));
        // Stable: the same entity is always answered by the same version.
        expect(again.version).toBe(res.version);
        expect(res.canary).toBe(res.version === '1');
        const direct = await scoring.score(request(i, { version: res.version }));
        expect(res.score).toBe(direct.score);
        versions.push(res.version);
        if (res.canary) {
          const decisions = await logged(log, `canary-${i}`, 2);
          expect(decisions.map((d) => `${d.role}:${d.version}`)).toEqual(['served:1', 'shadow:2']);
        }
      }
      // About half of 24 entities (all on one side would be a 1-in-8-million event).
      expect(versions).toContain('1');
      expect(versions).toContain('2');
      // Asking for a version explicitly is never rerouted.
      expect((await scoring.score(request(0, { version: '2' }))).version).toBe('2');
    } finally {
      scoring.close();
      log.close();
      await server.process.stop();
    }
  }, 120000);
});
