/**
 * `pnpm soak` (not part of `pnpm bench`): holds a steady open-loop Score load on a real
 * feature-service + model-server on MySQL for `--minutes` (default 10) and samples, every
 * `--interval` seconds, each process's RSS, V8 heap, open file descriptors, Node's active handles and
 * threads, with the load's throughput and latency. Writes bench/results/soak-<stamp>.{json,md}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { status as grpcStatus } from '@grpc/grpc-js';
import { createScoringServiceClient } from '@tally/contracts';
import { freePort, repoRoot } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { benchContextValues, demoCsv, describeFeatureSet } from '../fixtures/feature-store';
import { loadStore } from '../scenarios/score-stack';
import type { BenchContext } from '../scenarios/scenario';
import { startTallyService, stopAll } from '../servers/start-servers';
import { sampleProcess } from './process-sample';
import { renderSoakReport } from './soak-report';
import type { SoakPoint, SoakResult } from './soak-report';

const MODEL = 'credit_risk';
export const SOAK_USAGE = `Usage: node bench/dist/soak/soak.js [--minutes N] [--rate CALLS_PER_S] [--interval S] [--results DIR]
  --minutes   how long the steady load lasts (default 10)
  --rate      offered Score calls per second, open loop (default 200)
  --interval  seconds between samples (default 30)
  --results   where soak-<stamp>.json and .md go (default bench/results)`;

interface SoakOptions {
  minutes: number;
  rate: number;
  intervalS: number;
  resultsDir: string | undefined;
}

export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = { minutes: 10, rate: 200, intervalS: 30, resultsDir: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${arg}: needs a value\n${SOAK_USAGE}`);
    i += 1;
    const n = Number(value);
    if (arg === '--results') options.resultsDir = value;
    else if (!(n > 0)) throw new Error(`${arg}: a positive number, got '${value}'\n${SOAK_USAGE}`);
    else if (arg === '--minutes') options.minutes = n;
    else if (arg === '--rate') options.rate = n;
    else if (arg === '--interval') options.intervalS = n;
    else throw new Error(`unknown argument '${arg}'\n${SOAK_USAGE}`);
  }
  return options;
}

const log = (message: string): void => void process.stderr.write(`[soak] ${message}\n`);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const options = parseSoakOptions(process.argv.slice(2));
  const root = repoRoot();
  const resultsDir = path.resolve(options.resultsDir ?? path.join(root, 'bench', 'results'));
  const context: BenchContext = {
    profile: { quick: false, warmupMs: 0, durationMs: 0, generators: 1, tracingRounds: 0 },
    repoRoot: root,
    tmpDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tally-soak-')),
    mysqlUrl: process.env.TALLY_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    log,
  };
  log('loading the demo applicants into a fresh MySQL database');
  const store = await loadStore(context);
  const processes: Array<ServiceProcess | undefined> = [];
  try {
    const ports = { 'feature-service': await freePort(), 'model-server': await freePort() };
    const featureService = await startTallyService(context, 'feature-service', {
      STORE_URL: store.database.url,
      METRICS_PORT: String(ports['feature-service']),
    });
    processes.push(featureService);
    const modelServer = await startTallyService(context, 'model-server', {
      MODEL_REPOSITORY: path.join(root, 'models'),
      FEATURE_SERVICE_ADDR: featureService.address,
      METRICS_PORT: String(ports['model-server']),
    });
    processes.push(modelServer);
    const schema = await describeFeatureSet(featureService.address, MODEL);
    const keyName = schema.entityKeys[0]!.name;
    const requestContext = benchContextValues(schema, demoCsv(root));
    const clients = Array.from({ length: 4 }, () => createScoringServiceClient(modelServer.address));
    const watched: Record<string, ServiceProcess> = {
      'feature-service': featureService,
      'model-server': modelServer,
    };

    let latencies: number[] = [];
    let ok = 0;
    let failed: Record<string, number> = {};
    /** The first message seen per failure status, for the report. */
    const examples: Record<string, string> = {};
    let sent = 0;
    let key = 0;
    const fire = () => {
      key = (key % store.rowCount) + 1;
      const client = clients[sent % clients.length]!;
      sent += 1;
      const t0 = performance.now();
      client.Score(
        { model: MODEL, entityKeys: { [keyName]: { int64Value: key } }, context: requestContext },
        { deadline: Date.now() + 2000 },
        (err) => {
          if (err) {
            const name = grpcStatus[err.code] ?? String(err.code);
            failed[name] = (failed[name] ?? 0) + 1;
            examples[name] ??= err.details;
          } else {
            ok += 1;
            latencies.push(performance.now() - t0);
          }
        },
      );
    };

    const points: SoakPoint[] = [];
    const started = performance.now();
    const endAt = started + options.minutes * 60_000;
    const startedAt = new Date().toISOString();
    log(
      `steady load: ${options.rate} Score/s for ${options.minutes} min, a sample every ${options.intervalS} s`,
    );
    // Open loop: calls leave on a 10 ms schedule whatever the answers do.
    const ticker = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * options.rate);
      while (sent < due) fire();
    }, 10);
    const sample = async () => {
      const sorted = latencies.sort((a, b) => a - b);
      const point: SoakPoint = {
        atSeconds: Math.round((performance.now() - started) / 1000),
        ok,
        failed,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
        processes: {},
      };
      latencies = [];
      ok = 0;
      failed = {};
      for (const [name, proc] of Object.entries(watched)) {
        point.processes[name] = await sampleProcess(proc.child.pid!, ports[name as keyof typeof ports]);
      }
      points.push(point);
      const ms = point.processes['model-server']!;
      const fs_ = point.processes['feature-service']!;
      log(
        `t=${point.atSeconds}s ok=${point.ok} failed=${JSON.stringify(point.failed)} p99=${point.p99Ms.toFixed(1)}ms ` +
          `model-server rss=${(ms.rssBytes / 1048576).toFixed(1)}MiB fds=${ms.openFds} handles=${ms.activeHandles} ` +
          `feature-service rss=${(fs_.rssBytes / 1048576).toFixed(1)}MiB fds=${fs_.openFds} handles=${fs_.activeHandles}`,
      );
    };
    while (performance.now() < endAt) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(options.intervalS * 1000, endAt - performance.now())),
      );
      await sample();
    }
    clearInterval(ticker);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // let the last calls answer
    for (const client of clients) client.close();

    const result: SoakResult = {
      startedAt,
      minutes: options.minutes,
      ratePerSec: options.rate,
      keys: store.rowCount,
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
      points,
      failureExamples: examples,
    };
    fs.mkdirSync(resultsDir, { recursive: true });
    const stamp = startedAt.replace(/[:.]/g, '-');
    fs.writeFileSync(path.join(resultsDir, `soak-${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
    fs.writeFileSync(path.join(resultsDir, `soak-${stamp}.md`), renderSoakReport(result));
    log(`wrote ${path.join(resultsDir, `soak-${stamp}.md`)}`);
  } finally {
    await stopAll(processes);
    await store.database.drop();
    fs.rmSync(context.tmpDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    log(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
