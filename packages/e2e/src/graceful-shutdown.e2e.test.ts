/**
 * SIGTERM to either service while 100 Score calls are in flight: every one of them succeeds, the
 * process exits 0, and a new call is refused at once rather than left hanging.
 *
 * "In flight" is made certain, not hoped for: the test holds a MySQL `LOCK TABLES ... WRITE` on the
 * feature view's table, so every GetFeatureVectors blocks inside the feature-service on its store
 * read (and every Score inside the model-server on its feature fetch). The signal is sent only
 * once the feature-service has counted all 100 lookups, and the stopping service's own log line
 * ("shutting down", in_flight) proves the calls were still open when it began to drain. Then the
 * lock is released. Needs MySQL (skipped, visibly, outside CI when it is unreachable).
 */
import type { TallyClientError } from '@tally/client';
import { FeatureClient, ScoringClient, toValueMap } from '@tally/client';
import type { model } from '@tally/contracts';
import type { Connection } from 'mysql2/promise';
import { loadApplicants, referenceRows } from './demo-applicants';
import { ScratchDatabase, mysqlReachable } from './mysql-database';
import { metricSum, scrapeMetrics, startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const IN_FLIGHT = 100;
const PROFILE_TABLE = 'fv_applicant_profile';
const CONTEXT = referenceRows()[0]!.context;
const describeWithMysql = mysqlReachable() ? describe : describe.skip;

async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Store lookups the feature-service has started (cache disabled: one per GetFeatureVectors). */
async function lookups(featureService: RunningService): Promise<number> {
  return metricSum(await scrapeMetrics(featureService), 'tally_feature_cache_lookups_total');
}

describeWithMysql('graceful shutdown with 100 Score calls in flight (MySQL store)', () => {
  let db: ScratchDatabase;
  let featureService: RunningService | undefined;
  let modelServer: RunningService | undefined;
  let lock: Connection | undefined;

  beforeAll(async () => {
    db = await ScratchDatabase.create();
    featureService = await startFeatureService({
      STORE_URL: db.url,
      // Every call reads the store (no cache), and the store waits as long as the lock is held.
      CACHE_MAX_ENTRIES: '0',
      STORE_TIMEOUT_MS: '60000',
    });
    const features = new FeatureClient(featureService.address, { retries: false });
    try {
      await loadApplicants(
        features,
        Array.from({ length: 2 * IN_FLIGHT }, (_, i) => i + 1),
      );
    } finally {
      features.close();
    }
  }, 120000);

  afterAll(async () => {
    await lock?.end().catch(() => undefined);
    await modelServer?.process.stop('SIGKILL');
    await featureService?.process.stop('SIGKILL');
    await db?.drop();
  });

  /**
   * Sends IN_FLIGHT Score calls for applicants first..first+IN_FLIGHT-1 while the profile table is
   * locked, waits until the feature-service has started all of them, runs `whileBlocked`, then
   * releases the lock and returns every call's outcome.
   */
  async function scoreWhileLocked(
    scoring: ScoringClient,
    first: number,
    whileBlocked: () => Promise<void>,
  ): Promise<Array<PromiseSettledResult<model.ScoreResponse__Output>>> {
    const fs = featureService!;
    lock = await db.connect();
    await lock.query(`LOCK TABLES \`${PROFILE_TABLE}\` WRITE`);
    const before = await lookups(fs);
    const calls = Array.from({ length: IN_FLIGHT }, (_, i) =>
      scoring.score(
        {
          model: 'credit_risk',
          entityKeys: toValueMap({ applicant_id: first + i }),
          context: toValueMap(CONTEXT),
          requestId: `inflight-${first + i}`,
        },
        { deadlineMs: 45000 },
      ),
    );
    const settled = Promise.allSettled(calls);
    try {
      await waitFor(
        `${IN_FLIGHT} lookups at the feature-service`,
        async () => (await lookups(fs)) - before >= IN_FLIGHT,
      );
      await whileBlocked();
    } finally {
      await lock.query('UNLOCK TABLES');
      await lock.end();
      lock = undefined;
    }
    return settled;
  }

  function expectAllScored(
    results: Array<PromiseSettledResult<model.ScoreResponse__Output>>,
    first: number,
  ): void {
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    results.forEach((r, i) => {
      const res = (r as PromiseFulfilledResult<model.ScoreResponse__Output>).value;
      expect(res.requestId).toBe(`inflight-${first + i}`);
      expect(res.featureIssues).toEqual([]);
      expect(res.score).toBeGreaterThan(0);
      expect(res.score).toBeLessThan(1);
    });
  }

  it('SIGTERM to the model-server: all 100 finish, new calls are refused at once, exit 0', async () => {
    modelServer = await startModelServer(featureService!.address);
    const ms = modelServer;
    const scoring = new ScoringClient(ms.address, { retries: false });
    try {
      const results = await scoreWhileLocked(scoring, 1, async () => {
        ms.process.child.kill('SIGTERM');
        const draining = await ms.process.waitForRecord((r) => r.message === 'shutting down', 10000);
        expect(draining.in_flight).toBe(IN_FLIGHT);
        // Still blocked on the store: nothing has finished, the process is still up.
        expect(ms.process.hasExited).toBe(false);
        const fresh = new ScoringClient(ms.address, { retries: false });
        try {
          const refused = await fresh
            .score(
              {
                model: 'credit_risk',
                entityKeys: toValueMap({ applicant_id: 1 }),
                context: toValueMap(CONTEXT),
              },
              { deadlineMs: 3000 },
            )
            .then(
              () => undefined,
              (err: unknown) => err as TallyClientError,
            );
          expect(refused?.codeName).toBe('UNAVAILABLE');
        } finally {
          fresh.close();
        }
      });
      expectAllScored(results, 1);
      expect(await ms.process.exited).toEqual({ code: 0, signal: null });
    } finally {
      scoring.close();
    }
  }, 90000);

  it('SIGTERM to the feature-service: all 100 Score calls finish, then it exits 0', async () => {
    modelServer = await startModelServer(featureService!.address);
    const fs = featureService!;
    const scoring = new ScoringClient(modelServer.address, { retries: false });
    try {
      const results = await scoreWhileLocked(scoring, IN_FLIGHT + 1, async () => {
        fs.process.child.kill('SIGTERM');
        const draining = await fs.process.waitForRecord((r) => r.message === 'shutting down', 10000);
        expect(draining.in_flight).toBe(IN_FLIGHT);
        expect(fs.process.hasExited).toBe(false);
      });
      expectAllScored(results, IN_FLIGHT + 1);
      expect(await fs.process.exited).toEqual({ code: 0, signal: null });
      // With the feature-service gone, Score fails UNAVAILABLE naming it (no score from defaults).
      const after = await scoring
        .score(
          { model: 'credit_risk', entityKeys: toValueMap({ applicant_id: 1 }), context: toValueMap(CONTEXT) },
          { deadlineMs: 2000 },
        )
        .then(
          () => undefined,
          (err: unknown) => err as TallyClientError,
        );
      expect(after?.codeName).toBe('UNAVAILABLE');
      expect(after?.details).toContain(`feature-service at ${fs.address}`);
    } finally {
      scoring.close();
    }
  }, 90000);
});
