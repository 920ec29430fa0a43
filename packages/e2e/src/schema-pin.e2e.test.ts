/**
 * A model version is served by Score only on the feature set it was trained on (its schema.json):
 * real feature-service processes with variant registries on one port, a real model-server with a copy
 * of the demo model (version 2). Needs `tsc -b` first (the services run from dist/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FeatureClient, InferenceClient, ScoringClient, TallyClientError, toValueMap } from '@tally/client';
import type { model } from '@tally/contracts';
import { freePort } from '@tally/testkit';
import { loadApplicants, referenceRows } from './demo-applicants';
import { demoModelRepository, eventually, replaceOnce, variantRegistry } from './schema-fixtures';
import { metricSum, scrapeMetrics, startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const ROW = referenceRows()[0]!;
const MODEL = 'credit_pinned';

/** Registry variants, the first difference the model-server must name, and why each matters. */
const VARIANTS: Array<{ name: string; edit: (yaml: string) => string; message: RegExp }> = [
  {
    name: 'reordered',
    edit: (y) =>
      replaceOnce(
        y,
        '      - applicant_profile.annual_inc\n      - applicant_profile.emp_length\n',
        '      - applicant_profile.emp_length\n      - applicant_profile.annual_inc\n',
      ),
    message: /column 4 "annual_inc", property feature: pinned "annual_inc", feature-service "emp_length"/,
  },
  {
    name: 'renamed',
    edit: (y) => y.replaceAll('annual_inc', 'annual_income'),
    message: /column 4 "annual_inc", property feature: pinned "annual_inc", feature-service "annual_income"/,
  },
  {
    name: 'level added',
    edit: (y) =>
      replaceOnce(
        y,
        'levels: [Not_Verified, Source_Verified, Verified]',
        'levels: [Not_Verified, Source_Verified, Verified, Joint]',
      ),
    message:
      /column 6 "verification_status=Not_Verified", property levels: pinned \["Not_Verified","Source_Verified","Verified"\], feature-service \["Not_Verified","Source_Verified","Verified","Joint"\]/,
  },
  {
    name: 'ordinal order changed',
    edit: (y) => replaceOnce(y, 'emp_1, emp_2,', 'emp_2, emp_1,'),
    message: /column 5 "emp_length", property levels: pinned \["emp_unk","emp_lt_1","emp_1","emp_2",/,
  },
  {
    name: 're-defaulted',
    edit: (y) => replaceOnce(y, 'default: 68900', 'default: 70000'),
    message: /column 4 "annual_inc", property default: pinned 68900, feature-service 70000/,
  },
  {
    name: 'feature dropped',
    edit: (y) => replaceOnce(y, '      - on_demand.log_annual_inc\n', ''),
    message:
      /column 28 "log_annual_inc": missing at the feature-service \(it has 28 columns, the pinned schema 29\)/,
  },
  {
    name: 'expression changed',
    edit: (y) => replaceOnce(y, 'log1p(max(annual_inc, 0))', 'log1p(max(annual_inc, 1))'),
    message: /property fingerprint: pinned [0-9a-f]+, feature-service [0-9a-f]+, while every column matches/,
  },
  {
    name: 'feature set unknown',
    edit: (y) => replaceOnce(y, '  - name: credit_risk\n', '  - name: credit_risk_next\n'),
    message: /feature set 'credit_risk' \(config feature_set\) is unknown to the feature-service/,
  },
];

async function failure(call: Promise<unknown>): Promise<TallyClientError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TallyClientError) return err;
    throw err;
  }
  throw new Error('the call succeeded; a failure was expected');
}

function versionStatus(
  res: model.ListModelsResponse__Output,
  version = '2',
): model.ModelVersionStatus__Output {
  const status = res.models.find((m) => m.name === MODEL)?.versions.find((v) => v.version === version);
  if (status === undefined) throw new Error(`ListModels has no ${MODEL}/${version}`);
  return status;
}

describe('schema.json pinned at training, checked against the feature-service', () => {
  let tmp: string;
  let port: number;
  let repository: string;
  let featureService: RunningService | undefined;
  const servers: RunningService[] = [];
  const clients: Array<{ close(): void }> = [];

  /** (Re)starts the feature-service on the fixed port with a registry (undefined = the shipped one). */
  async function restartFeatureService(registry?: string, store = 'base'): Promise<void> {
    await featureService?.process.stop();
    featureService = undefined;
    featureService = await startFeatureService({
      GRPC_PORT: String(port),
      STORE_URL: `sqlite:${path.join(tmp, `${store}.sqlite`)}`,
      ...(registry === undefined ? {} : { REGISTRY_PATH: registry }),
    });
  }

  async function modelServer(): Promise<{ scoring: ScoringClient; inference: InferenceClient }> {
    const server = await startModelServer(`127.0.0.1:${port}`, {
      MODEL_REPOSITORY: repository,
      FEATURE_CHECK_TIMEOUT_MS: '1000',
    });
    servers.push(server);
    const scoring = new ScoringClient(server.address, { retries: false });
    const inference = new InferenceClient(server.address, { retries: false });
    clients.push(scoring, inference);
    // Loading starts once the server listens: wait until version 2 has left LOADING.
    await eventually('version 2 loaded', async () => {
      const status = versionStatus(await scoring.listModels());
      return status.state === 'MODEL_VERSION_STATE_LOADING' ? undefined : status;
    });
    return { scoring, inference };
  }

  /** tally_model_schema_check of version 2 in `state`, on the newest model-server. */
  const schemaGauge = async (state: string) =>
    metricSum(await scrapeMetrics(servers[servers.length - 1]!), 'tally_model_schema_check', {
      model: MODEL,
      version: '2',
      state,
    });

  const score = (scoring: ScoringClient) =>
    scoring.score({
      model: MODEL,
      entityKeys: toValueMap({ applicant_id: ROW.applicant_id }),
      context: toValueMap(ROW.context),
    });

  /** Raw tensors through OIP ModelInfer: the reference row's own vector. */
  const infer = (inference: InferenceClient) =>
    inference.modelInfer({
      modelName: MODEL,
      modelVersion: '2',
      inputs: [
        {
          name: 'features',
          datatype: 'FP32',
          shape: [1, ROW.vector.length],
          contents: { fp32Contents: ROW.vector },
        },
      ],
    });

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-schema-'));
    port = await freePort();
    repository = demoModelRepository(tmp, [{ name: MODEL, versions: [2] }]);
    await restartFeatureService();
    const features = new FeatureClient(featureService!.address, { retries: false });
    try {
      await loadApplicants(features, [ROW.applicant_id]);
    } finally {
      features.close();
    }
  }, 90000);

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const s of servers) await s.process.stop();
    await featureService?.process.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses the version at load on every kind of difference, naming the first column and property', async () => {
    const [first, ...rest] = VARIANTS;
    await restartFeatureService(variantRegistry(tmp, first!.name, first!.edit), first!.name);
    const { scoring } = await modelServer();
    const status = versionStatus(await scoring.listModels());
    expect(status.state).toBe('MODEL_VERSION_STATE_FAILED');
    expect(status.reason).toMatch(first!.message);
    expect(status.reason).toContain('schema.json (the schema the version was trained on) does not match');
    // The same model-server, the feature-service restarted with each other variant: LoadModel refuses.
    for (const variant of rest) {
      await restartFeatureService(variantRegistry(tmp, variant.name, variant.edit), variant.name);
      const err = await failure(scoring.loadModel({ name: MODEL }));
      expect({ variant: variant.name, code: err.codeName }).toEqual({
        variant: variant.name,
        code: 'FAILED_PRECONDITION',
      });
      expect(err.details).toMatch(variant.message);
      expect(versionStatus(await scoring.listModels()).state).toBe('MODEL_VERSION_STATE_FAILED');
      expect((await failure(score(scoring))).codeName).toBe('UNAVAILABLE');
    }
    // Back on the feature set it was trained on, the version loads and scores as training did.
    await restartFeatureService();
    await scoring.loadModel({ name: MODEL });
    const loaded = versionStatus(await scoring.listModels());
    expect(loaded.state).toBe('MODEL_VERSION_STATE_READY');
    expect(loaded.schemaCheck?.state).toBe('SCHEMA_CHECK_STATE_PASSED');
    const res = await score(scoring);
    expect(Math.abs(res.score - ROW.expected['2']!)).toBeLessThan(1e-5);
    expect(res.featureSetFingerprint).toBe(loaded.schemaCheck?.pinnedFingerprint);
  }, 240000);

  it('stops serving Score when the fingerprint changes after load, and serves again once it matches', async () => {
    await restartFeatureService();
    const { scoring, inference } = await modelServer();
    expect(versionStatus(await scoring.listModels()).schemaCheck?.state).toBe('SCHEMA_CHECK_STATE_PASSED');
    const before = await score(scoring);

    // The feature-service is redeployed with another default while the model-server runs.
    const redefaulted = VARIANTS.find((v) => v.name === 're-defaulted')!;
    await restartFeatureService(variantRegistry(tmp, 'drift', redefaulted.edit), 'drift');
    // The first Score after the restart may find the feature-service's connection still closed.
    const drifted = await eventually('Score reaches the restarted feature-service', async () => {
      const err = await failure(score(scoring));
      return err.codeName === 'UNAVAILABLE' ? undefined : err;
    });
    expect(drifted.codeName).toBe('FAILED_PRECONDITION');
    expect(drifted.details).toMatch(
      /feature set 'credit_risk' changed after load \(fingerprint [0-9a-f]+ pinned, [0-9a-f]+ served\)/,
    );
    // Not served by Score from now on, without asking the feature-service for another vector.
    expect((await failure(score(scoring))).codeName).toBe('FAILED_PRECONDITION');
    // The re-check names the difference.
    const mismatched = await eventually('re-check names the difference', async () => {
      const s = versionStatus(await scoring.listModels());
      return s.schemaCheck?.state === 'SCHEMA_CHECK_STATE_MISMATCHED' ? s : undefined;
    });
    expect(mismatched.state).toBe('MODEL_VERSION_STATE_READY');
    expect(mismatched.schemaCheck?.detail).toMatch(redefaulted.message);
    expect(await schemaGauge('MISMATCHED')).toBe(1);
    expect((await failure(score(scoring))).details).toMatch(redefaulted.message);
    // OIP ModelInfer on raw tensors does not depend on the feature set: it still serves the version.
    const raw = await infer(inference);
    expect(raw.modelVersion).toBe('2');

    // Rolled back: the periodic re-check passes and Score serves again, with the same score.
    await restartFeatureService();
    const after = await eventually('Score serves again', async () => score(scoring));
    expect(after.score).toBe(before.score);
    expect(versionStatus(await scoring.listModels()).schemaCheck).toMatchObject({
      state: 'SCHEMA_CHECK_STATE_PASSED',
      detail: '',
    });
  }, 180000);

  it('loads but does not serve Score while the feature-service is unreachable, and recovers when it is back', async () => {
    await featureService?.process.stop();
    featureService = undefined;
    const { scoring, inference } = await modelServer();
    const pending = versionStatus(await scoring.listModels());
    expect(pending.state).toBe('MODEL_VERSION_STATE_READY');
    expect(pending.schemaCheck?.state).toBe('SCHEMA_CHECK_STATE_PENDING');
    expect(pending.schemaCheck?.detail).toMatch(/the feature-service could not be asked/);
    const refused = await failure(score(scoring));
    expect(refused.codeName).toBe('UNAVAILABLE');
    expect(refused.details).toMatch(/Score does not serve it until its feature set is checked/);
    expect((await infer(inference)).modelVersion).toBe('2');
    expect(await schemaGauge('PENDING')).toBe(1);
    expect(await schemaGauge('PASSED')).toBe(0);

    await restartFeatureService();
    const res = await eventually('Score serves after the feature-service is back', async () =>
      score(scoring),
    );
    expect(Math.abs(res.score - ROW.expected['2']!)).toBeLessThan(1e-5);
    expect(versionStatus(await scoring.listModels()).schemaCheck?.state).toBe('SCHEMA_CHECK_STATE_PASSED');
    expect(await schemaGauge('PASSED')).toBe(1);
    expect(await schemaGauge('PENDING')).toBe(0);
  }, 180000);
});
