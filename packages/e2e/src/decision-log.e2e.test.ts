/**
 * The decision log end to end: real feature-service and model-server processes. A model-server
 * killed with SIGKILL under load loses no answered decision; a database outage loses nothing and
 * drains after; a log that cannot be written stops Score with UNAVAILABLE. Needs `tsc -b` first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { DecisionLogClient, FeatureClient, ScoringClient, TallyClientError, toValueMap } from '@tally/client';
import { loadApplicants, referenceRows } from './demo-applicants';
import { MYSQL_URL, ScratchDatabase, mysqlReachable } from './mysql-database';
import { metricSum, scrapeMetrics, startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';
import { TcpProxy } from './tcp-proxy';

const ROWS = referenceRows().slice(0, 20);
const CLIENTS = 4;

let tmp: string;
let featureService: RunningService;
let features: FeatureClient;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-decisions-'));
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

function scoreRequest(i: number, requestId: string) {
  const row = ROWS[i % ROWS.length]!;
  return {
    model: 'credit_risk',
    entityKeys: toValueMap({ applicant_id: row.applicant_id }),
    context: toValueMap(row.context),
    requestId,
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

/** Polls until every id is in the decision log once (served), or fails after `timeoutMs`. */
async function expectAllLogged(
  log: DecisionLogClient,
  ids: readonly string[],
  timeoutMs = 60000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const missing = new Set(ids);
  while (missing.size > 0) {
    for (const id of [...missing]) {
      try {
        const { decisions } = await log.getDecision({ requestId: id });
        expect(decisions.filter((d) => d.role === 'served')).toHaveLength(1);
        expect(decisions[0]!.requestId).toBe(id);
        missing.delete(id);
      } catch (err) {
        if (!(err instanceof TallyClientError) || err.code !== status.NOT_FOUND) throw err;
      }
    }
    if (missing.size === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${missing.size} of ${ids.length} answered decisions are not in the log, e.g. ${[...missing][0]}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('decision log', () => {
  it('keeps every answered decision through a SIGKILL of the model-server under load, each once', async () => {
    const env = {
      DECISION_LOG_DIR: path.join(tmp, 'kill-wal'),
      DECISION_DATABASE_URL: `sqlite:${path.join(tmp, 'kill.sqlite')}`,
      // Slow shipping: most records are still only in the write-ahead file when the process dies.
      DECISION_SHIP_INTERVAL_MS: '2000',
      DECISION_LOG_SEGMENT_BYTES: '65536',
    };
    const first = await startModelServer(featureService.address, env);
    const scoring = new ScoringClient(first.address, { retries: false, deadlinesMs: { Score: 10000 } });
    const answered: string[] = [];
    let killed = false;
    const client = async (c: number) => {
      for (let i = 0; !killed; i += 1) {
        const id = `kill-${c}-${i}`;
        try {
          const res = await scoring.score(scoreRequest(i + c, id));
          expect(res.requestId).toBe(id);
          answered.push(id);
        } catch (err) {
          if (!killed) throw err;
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    while (answered.length < 400) await new Promise((r) => setTimeout(r, 10));
    first.process.child.kill('SIGKILL');
    killed = true;
    await first.process.exited;
    await Promise.all(clients);
    scoring.close();
    expect(answered.length).toBeGreaterThanOrEqual(400);

    const second = await startModelServer(featureService.address, {
      ...env,
      DECISION_SHIP_INTERVAL_MS: '50',
    });
    const log = new DecisionLogClient(second.address, { retries: false });
    try {
      // The first process died with records only in its write-ahead file: the second replays them.
      const opened = await second.process.waitForRecord((r) => r.message === 'decision log open');
      expect(opened.segments_to_replay).toBeGreaterThan(0);
      expect(opened.unshipped_bytes).toBeGreaterThan(0);
      await expectAllLogged(log, answered);
      const one = (await log.getDecision({ requestId: answered[0]! })).decisions[0]!;
      expect(one.model).toBe('credit_risk');
      expect(one.columns).toHaveLength(29);
      expect(one.featureValues).toHaveLength(29);
      expect(one.featureStatuses).toHaveLength(29);
      expect(one.featureEventTimesUnixMs.some((t) => t > 0)).toBe(true);
      expect(one.response?.requestId).toBe(answered[0]);
      // ScoreBatch items are recorded one by one, each under its own request id.
      const batchScoring = new ScoringClient(second.address, { retries: false });
      const batch = await batchScoring.scoreBatch({
        model: 'credit_risk',
        items: [0, 1, 2].map((i) => {
          const { entityKeys, context } = scoreRequest(i, '');
          return { entityKeys, context, requestId: `batch-${i}` };
        }),
      });
      batchScoring.close();
      expect(batch.results.map((r) => r.requestId)).toEqual(['batch-0', 'batch-1', 'batch-2']);
      await expectAllLogged(log, ['batch-0', 'batch-1', 'batch-2']);
      const item = (await log.getDecision({ requestId: 'batch-1' })).decisions[0]!;
      expect(item.score).toBe(batch.results[1]!.score);
      expect(item.entityKeys.applicant_id?.int64Value).toBe(ROWS[1]!.applicant_id);
      // The segments the first process left are deleted once shipped.
      const deadline = Date.now() + 30000;
      while (fs.readdirSync(env.DECISION_LOG_DIR).filter((f) => f.endsWith('.wal')).length > 1) {
        if (Date.now() > deadline) throw new Error('shipped segments were not deleted');
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      log.close();
      await second.process.stop();
    }
  }, 180000);

  it('answers UNAVAILABLE naming the reason when the log cannot be written, and serves reads errors right', async () => {
    const notADir = path.join(tmp, 'a-file');
    fs.writeFileSync(notADir, '');
    const server = await startModelServer(featureService.address, {
      DECISION_LOG_DIR: path.join(notADir, 'wal'),
      DECISION_DATABASE_URL: `sqlite:${path.join(tmp, 'unwritable.sqlite')}`,
    });
    const scoring = new ScoringClient(server.address, { retries: false });
    const log = new DecisionLogClient(server.address, { retries: false });
    try {
      const err = await failure(scoring.score(scoreRequest(0, 'never-answered')));
      expect(err.code).toBe(status.UNAVAILABLE);
      expect(err.message).toMatch(/decision log unavailable: cannot use .*a-file\/wal: .*ENOTDIR/);
      const notFound = await failure(log.getDecision({ requestId: 'never-answered' }));
      expect(notFound.code).toBe(status.NOT_FOUND);
      expect(notFound.message).toContain("'never-answered'");
      const badRange = await failure(
        log.listDecisions({
          entityKeys: toValueMap({ applicant_id: 1 }),
          sinceUnixMs: 2000,
          untilUnixMs: 1000,
        }),
      );
      expect(badRange.code).toBe(status.INVALID_ARGUMENT);
      expect(badRange.message).toMatch(/until_unix_ms/);
      const noKeys = await failure(log.listDecisions({ sinceUnixMs: 0 }));
      expect(noKeys.code).toBe(status.INVALID_ARGUMENT);
      expect(noKeys.message).toMatch(/entity_keys/);
    } finally {
      scoring.close();
      log.close();
      await server.process.stop();
    }
  }, 120000);

  const mysqlDescribe = mysqlReachable() ? describe : describe.skip;
  mysqlDescribe('with MySQL', () => {
    let database: ScratchDatabase;
    let proxy: TcpProxy;

    beforeAll(async () => {
      database = await ScratchDatabase.create();
      const server = new URL(MYSQL_URL);
      proxy = new TcpProxy(server.hostname, Number(server.port || 3306));
      await proxy.open();
    });
    afterAll(async () => {
      await proxy?.close();
      await database?.drop();
    });

    it('keeps decisions on disk while the database is down, reaches its bound, and drains after', async () => {
      const url = new URL(database.url);
      url.host = `127.0.0.1:${proxy.port}`;
      const server = await startModelServer(featureService.address, {
        DECISION_LOG_DIR: path.join(tmp, 'outage-wal'),
        DECISION_DATABASE_URL: url.toString(),
        DECISION_SHIP_INTERVAL_MS: '50',
        DECISION_LOG_MAX_BYTES: '65536',
        DECISION_LOG_SEGMENT_BYTES: '16384',
      });
      const scoring = new ScoringClient(server.address, { retries: false, deadlinesMs: { Score: 10000 } });
      const log = new DecisionLogClient(server.address, {
        retries: false,
        deadlinesMs: { GetDecision: 10000 },
      });
      try {
        const before = ['up-0', 'up-1', 'up-2'];
        for (const [i, id] of before.entries()) await scoring.score(scoreRequest(i, id));
        await expectAllLogged(log, before);

        await proxy.close();
        const during: string[] = [];
        let refused: TallyClientError | undefined;
        for (let i = 0; i < 200 && refused === undefined; i += 1) {
          try {
            await scoring.score(scoreRequest(i, `down-${i}`));
            during.push(`down-${i}`);
          } catch (err) {
            if (!(err instanceof TallyClientError)) throw err;
            refused = err;
          }
        }
        // Answered while the database was down, until the bound: then UNAVAILABLE, never a decision without a record.
        expect(during.length).toBeGreaterThan(5);
        expect(refused?.code).toBe(status.UNAVAILABLE);
        expect(refused?.message).toMatch(/DECISION_LOG_MAX_BYTES/);
        await server.process.waitForRecord((r) =>
          String(r.message).startsWith('decision log nears its bound'),
        );
        await server.process.waitForRecord((r) =>
          String(r.message).startsWith('decision database unavailable'),
        );
        const metrics = await scrapeMetrics(server);
        expect(metricSum(metrics, 'tally_decision_log_unshipped_bytes')).toBeGreaterThan(65536 * 0.8);
        expect(metricSum(metrics, 'tally_decision_log_ship_failures_total')).toBeGreaterThan(0);

        await proxy.open();
        await expectAllLogged(log, [...before, ...during]);
        await scoring.score(scoreRequest(0, 'after'));
        await expectAllLogged(log, ['after']);
        const c = await database.connect();
        try {
          const [rows] = await c.query('select count(*) as n from tally_decision');
          expect(Number((rows as Array<{ n: number }>)[0]!.n)).toBe(before.length + during.length + 1);
        } finally {
          await c.end();
        }
      } finally {
        scoring.close();
        log.close();
        await server.process.stop();
      }
    }, 180000);
  });
});
