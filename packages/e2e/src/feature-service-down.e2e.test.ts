/**
 * A feature-service that is gone (or hangs) fails Score within the caller's deadline, naming it:
 * never a score made of defaults, never a call left hanging.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FeatureClient, ScoringClient, TallyClientError, toValueMap } from '@tally/client';
import { freePort } from '@tally/testkit';
import { loadApplicants, referenceRows } from './demo-applicants';
import { startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const ROW = referenceRows()[0]!;
const DEADLINE_MS = 1500;
/** Correctness bound, not a performance target: the answer must not come after the deadline. */
const SLACK_MS = 500;

async function timedScore(
  scoring: ScoringClient,
): Promise<{ error: TallyClientError | undefined; elapsedMs: number; score?: number }> {
  const started = Date.now();
  try {
    const res = await scoring.score(
      {
        model: 'credit_risk',
        entityKeys: toValueMap({ applicant_id: ROW.applicant_id }),
        context: toValueMap(ROW.context),
      },
      { deadlineMs: DEADLINE_MS },
    );
    return { error: undefined, elapsedMs: Date.now() - started, score: res.score };
  } catch (err) {
    if (!(err instanceof TallyClientError)) throw err;
    return { error: err, elapsedMs: Date.now() - started };
  }
}

describe('Score when the feature-service is down', () => {
  let tmp: string;
  let featureService: RunningService;
  let modelServer: RunningService;
  let scoring: ScoringClient;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-down-'));
    featureService = await startFeatureService({ STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}` });
    const features = new FeatureClient(featureService.address, { retries: false });
    try {
      await loadApplicants(features, [ROW.applicant_id]);
    } finally {
      features.close();
    }
    modelServer = await startModelServer(featureService.address);
    scoring = new ScoringClient(modelServer.address, { retries: false });
  }, 90000);

  afterAll(async () => {
    scoring?.close();
    await modelServer?.process.stop();
    await featureService?.process.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fails with UNAVAILABLE naming the feature-service and its address, within the deadline', async () => {
    const before = await timedScore(scoring);
    expect(before.error).toBeUndefined();
    expect(Math.abs(before.score! - ROW.expected['2']!)).toBeLessThan(1e-5);

    const exit = await featureService.process.stop();
    expect(exit.code).toBe(0);

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const after = await timedScore(scoring);
      expect(after.error?.codeName).toBe('UNAVAILABLE');
      expect(after.error?.details).toContain(`feature-service at ${featureService.address} unavailable`);
      expect(after.elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
    }
  });
});

describe('Score when the feature-service accepts connections but never answers', () => {
  let tmp: string;
  let blackHole: net.Server;
  let sockets: net.Socket[];
  let modelServer: RunningService;
  let scoring: ScoringClient;

  beforeAll(async () => {
    sockets = [];
    blackHole = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    const port = await freePort();
    // The models are checked against a real feature-service on that port first (Score serves only
    // versions whose schema was checked); then it is replaced by a black hole.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-hang-'));
    const real = await startFeatureService({
      GRPC_PORT: String(port),
      STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}`,
    });
    try {
      modelServer = await startModelServer(`127.0.0.1:${port}`);
      scoring = new ScoringClient(modelServer.address, { retries: false });
      for (;;) {
        const { models } = await scoring.listModels();
        const versions = models.flatMap((m) => m.versions);
        if (
          versions.length > 0 &&
          versions.every((v) => v.schemaCheck?.state === 'SCHEMA_CHECK_STATE_PASSED')
        )
          break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await real.process.stop();
    }
    await new Promise<void>((resolve) => blackHole.listen(port, '127.0.0.1', resolve));
  }, 90000);

  afterAll(async () => {
    scoring?.close();
    await modelServer?.process.stop();
    for (const s of sockets ?? []) s.destroy();
    await new Promise((resolve) => blackHole?.close(resolve));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('answers DEADLINE_EXCEEDED by the deadline, never a score', async () => {
    const result = await timedScore(scoring);
    expect(result.error?.codeName).toBe('DEADLINE_EXCEEDED');
    expect(result.elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
    // The hung dependency costs the model-server nothing lasting: it is still up.
    expect(modelServer.process.hasExited).toBe(false);
    const again = await timedScore(scoring);
    expect(again.error?.codeName).toBe('DEADLINE_EXCEEDED');
  });
});

describe('Score on a standalone model-server (FEATURE_SERVICE_ADDR empty)', () => {
  let modelServer: RunningService;
  let scoring: ScoringClient;

  beforeAll(async () => {
    modelServer = await startModelServer('');
    scoring = new ScoringClient(modelServer.address, { retries: false });
  }, 90000);

  afterAll(async () => {
    scoring?.close();
    await modelServer?.process.stop();
  });

  it('answers FAILED_PRECONDITION saying the feature-service address is not configured', async () => {
    const result = await timedScore(scoring);
    expect(result.error?.codeName).toBe('FAILED_PRECONDITION');
    expect(result.error?.details).toContain('FEATURE_SERVICE_ADDR is empty');
  });
});
