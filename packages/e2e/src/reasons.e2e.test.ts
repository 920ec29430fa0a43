/**
 * Reasons end to end, and what is refused: a real feature-service (temp SQLite store) and a real
 * model-server over a temporary repository holding the demo credit_risk model and variants of it (no
 * reason map, reasons always on, a map naming an unknown feature, a map missing one, a trees file that
 * does not belong to the ONNX model). Needs `npx tsc -b` first (the services run from dist/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { FeatureClient, ScoringClient, TallyClientError, toValueMap } from '@tally/client';
import type { model } from '@tally/contracts';
import { repoRoot } from '@tally/testkit';
import { loadApplicants, referenceRows } from './demo-applicants';
import type { ReferenceRow } from './demo-applicants';
import { startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const REFERENCE = referenceRows().slice(0, 8);
/** Applicant 402: its verification status raises the trees' score (xgboost pred_contribs, +0.09 over three columns). */
const VERIFICATION_ROW = 6;
const UNKNOWN_APPLICANT = 999_999;
const DEMO = path.join(repoRoot(), 'models/credit_risk');

type Config = Record<string, unknown> & { reasons?: { codes: Array<{ code: string; features: string[] }> } };

function demoConfig(): Config {
  return YAML.parse(fs.readFileSync(path.join(DEMO, 'config.yaml'), 'utf8')) as Config;
}

/** A copy of the demo model under `name`, with `versions` (folder → demo version folder) and a config edit. */
function addModel(
  repository: string,
  name: string,
  versions: Record<string, string>,
  edit: (c: Config) => void,
) {
  const dir = path.join(repository, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [version, from] of Object.entries(versions))
    fs.cpSync(path.join(DEMO, from), path.join(dir, version), { recursive: true });
  const config = demoConfig();
  config.version_policy = 'all';
  // The demo refuses vectors with defaulted stored features; these tests score such vectors.
  delete config.decision_policy;
  edit(config);
  fs.writeFileSync(path.join(dir, 'config.yaml'), YAML.stringify(config));
}

function request(row: ReferenceRow, extra: Partial<model.ScoreRequest>): model.ScoreRequest {
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

describe('reasons through both services', () => {
  let tmp: string;
  let repository: string;
  let featureService: RunningService;
  let modelServer: RunningService;
  let scoring: ScoringClient;
  let features: FeatureClient;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-reasons-'));
    repository = path.join(tmp, 'models');
    addModel(repository, 'credit_risk', { '1': '1', '2': '2' }, (c) => {
      c.reasons!['top_n' as 'codes'] = 18 as never; // every code that raises the score
    });
    addModel(repository, 'credit_plain', { '1': '1' }, (c) => delete c.reasons);
    addModel(repository, 'credit_always', { '1': '1' }, (c) => {
      (c.reasons as Record<string, unknown>).always = true;
    });
    addModel(repository, 'credit_unknown', { '1': '1' }, (c) => {
      c.reasons!.codes[2]!.features = ['int_rate', 'interest'];
    });
    addModel(repository, 'credit_missing', { '1': '1' }, (c) => {
      c.reasons!.codes = c.reasons!.codes.filter((code) => code.code !== 'R06');
    });
    // The MLP's model.onnx beside the trees' xgboost.json: the explanation would describe another model.
    addModel(repository, 'credit_mismatch', { '1': '2' }, () => undefined);
    fs.copyFileSync(
      path.join(DEMO, '1/xgboost.json'),
      path.join(repository, 'credit_mismatch/1/xgboost.json'),
    );

    featureService = await startFeatureService({ STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` });
    features = new FeatureClient(featureService.address, { retries: false });
    await loadApplicants(
      features,
      REFERENCE.map((r) => r.applicant_id),
    );
    modelServer = await startModelServer(featureService.address, { MODEL_REPOSITORY: repository });
    scoring = new ScoringClient(modelServer.address, {
      retries: false,
      deadlinesMs: { Score: 10_000, ScoreBatch: 20_000, LoadModel: 30_000 },
    });
  }, 120_000);

  afterAll(async () => {
    scoring?.close();
    features?.close();
    await modelServer?.process.stop();
    await featureService?.process.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('returns no reasons unless asked, and the positive ones in order when asked', async () => {
    const row = REFERENCE[0]!;
    const plain = await scoring.score(request(row, { version: '1' }));
    expect(plain.reasons).toEqual([]);
    expect(plain.explanation).toBeNull();
    const res = await scoring.score(request(row, { version: '1', includeReasons: true }));
    expect(res.score).toBe(plain.score);
    expect(res.reasons.length).toBeGreaterThan(0);
    expect(res.explanation).toMatchObject({ method: 'tree_shap', space: 'margin', contributions: [] });
    const contributions = res.reasons.map((r) => r.contribution);
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    expect(contributions.every((c) => c > 0)).toBe(true);
    for (const reason of res.reasons) {
      expect(reason.code).toMatch(/^R\d\d$/);
      expect(reason.text.length).toBeGreaterThan(5);
      expect(reason.defaulted).toBe(false);
    }
  });

  it('groups the one-hot columns of verification_status into one reason', async () => {
    const row = REFERENCE[VERIFICATION_ROW]!;
    expect(row.applicant_id).toBe(402);
    const res = await scoring.score(
      request(row, { version: '1', includeReasons: true, includeFeatures: true }),
    );
    const levels = res.columns.filter((c) => c.startsWith('verification_status='));
    expect(levels).toHaveLength(3);
    const sum = levels.reduce((s, c) => s + res.explanation!.contributions[res.columns.indexOf(c)]!, 0);
    expect(sum).toBeGreaterThan(0.05);
    const grouped = res.reasons.filter((r) => r.columns.some((c) => c.startsWith('verification_status=')));
    expect(grouped).toHaveLength(1);
    expect(grouped[0]).toMatchObject({ code: 'R07', features: ['verification_status'], columns: levels });
    expect(grouped[0]!.contribution).toBeCloseTo(sum, 12);
  });

  it('marks the reasons that rest on defaulted features', async () => {
    // An applicant the store does not hold, and no rate or grade: every profile feature is defaulted.
    const res = await scoring.score({
      model: 'credit_risk',
      version: '1',
      entityKeys: toValueMap({ applicant_id: UNKNOWN_APPLICANT }),
      context: toValueMap({ amount: 30000, term: 60 }),
      includeReasons: true,
    });
    const notPresent = new Set(res.featureIssues.map((i) => i.column));
    expect(notPresent.has('annual_inc')).toBe(true);
    expect(notPresent.has('amount')).toBe(false);
    expect(res.reasons.length).toBeGreaterThan(0);
    for (const reason of res.reasons) {
      expect(reason.defaulted).toBe(reason.columns.some((c) => notPresent.has(c)));
    }
    expect(res.reasons.some((r) => r.defaulted)).toBe(true);
    expect(res.reasons.find((r) => r.code === 'R01')?.defaulted ?? false).toBe(false);
  });

  it('gives reasons without being asked when the config says always', async () => {
    const res = await scoring.score(request(REFERENCE[2]!, { model: 'credit_always' }));
    expect(res.reasons.length).toBeGreaterThan(0);
    expect(res.reasons.length).toBeLessThanOrEqual(4);
  });

  it('refuses include_reasons for a model without a reason map: FAILED_PRECONDITION naming the model', async () => {
    const row = REFERENCE[0]!;
    expect((await scoring.score(request(row, { model: 'credit_plain' }))).reasons).toEqual([]);
    const single = await failure(
      scoring.score(request(row, { model: 'credit_plain', includeReasons: true })),
    );
    expect(single.codeName).toBe('FAILED_PRECONDITION');
    expect(single.details).toContain('model credit_plain has no reason map');
    const batch = await failure(
      scoring.scoreBatch({
        model: 'credit_plain',
        includeReasons: true,
        items: [
          { entityKeys: toValueMap({ applicant_id: row.applicant_id }), context: toValueMap(row.context) },
        ],
      }),
    );
    expect(batch.codeName).toBe('FAILED_PRECONDITION');
    expect(batch.details).toContain('credit_plain');
  });

  it('refuses to load a reason map naming an unknown feature or missing one, naming the file and field', async () => {
    const models = await scoring.listModels();
    const reasonOf = (name: string) => models.models.find((m) => m.name === name)!.versions[0]!;
    const unknownFile = path.join(repository, 'credit_unknown/config.yaml');
    expect(reasonOf('credit_unknown').state).toBe('MODEL_VERSION_STATE_FAILED');
    expect(reasonOf('credit_unknown').reason).toContain(
      `${unknownFile}: reasons.codes[2].features[1]: unknown feature 'interest': feature set 'credit_risk' has amount, term`,
    );
    const load = await failure(scoring.loadModel({ name: 'credit_missing' }));
    expect(load.codeName).toBe('FAILED_PRECONDITION');
    expect(load.details).toContain(
      `${path.join(repository, 'credit_missing/config.yaml')}: reasons.codes: no reason code covers feature 'emp_length'`,
    );
  });

  it('refuses a trees file that does not describe the ONNX model beside it', async () => {
    const load = await failure(scoring.loadModel({ name: 'credit_mismatch' }));
    expect(load.codeName).toBe('FAILED_PRECONDITION');
    expect(load.details).toContain(
      `${path.join(repository, 'credit_mismatch/1/xgboost.json')}: (model): does not describe model.onnx`,
    );
  });
});
