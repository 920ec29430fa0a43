import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';

export const FEATURE_SERVICE_MAIN = path.join(repoRoot(), 'services/feature-service/dist/main.js');
export const MODEL_SERVER_MAIN = path.join(repoRoot(), 'services/model-server/dist/main.js');
/** The demo model repository (credit_risk versions 1 and 2). */
export const DEMO_MODELS = path.join(repoRoot(), 'models');

/** A service process plus the port of its /metrics endpoint. */
export interface RunningService {
  process: ServiceProcess;
  address: string;
  metricsPort: number;
}

async function start(script: string, env: NodeJS.ProcessEnv): Promise<RunningService> {
  const metricsPort = await freePort();
  const proc = await startService({
    script,
    env: {
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      METRICS_PORT: String(metricsPort),
      // Never export to a collector left configured in the caller's environment.
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      ...env,
    },
    startTimeoutMs: 60000,
  });
  return { process: proc, address: proc.address, metricsPort };
}

/**
 * A real feature-service process on free ports, with the repository's feature registry
 * (features/credit.yaml). `env` must at least give STORE_URL.
 */
export function startFeatureService(env: NodeJS.ProcessEnv): Promise<RunningService> {
  return start(FEATURE_SERVICE_MAIN, env);
}

/** A real model-server process serving the demo models, fetching features from `featureServiceAddr`. */
export async function startModelServer(
  featureServiceAddr: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningService> {
  // Its own decision log (removed when it exits) unless the test gives one.
  const decisions = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-decisions-'));
  const cleanUp = () => fs.rmSync(decisions, { recursive: true, force: true });
  const running = await start(MODEL_SERVER_MAIN, {
    MODEL_REPOSITORY: DEMO_MODELS,
    FEATURE_SERVICE_ADDR: featureServiceAddr,
    DECISION_LOG_DIR: path.join(decisions, 'wal'),
    DECISION_DATABASE_URL: `sqlite:${path.join(decisions, 'decisions.sqlite')}`,
    ...env,
  }).catch((error: unknown) => {
    cleanUp();
    throw error;
  });
  void running.process.exited.then(cleanUp);
  return running;
}

/** The text of a service's /metrics page. */
export async function scrapeMetrics(service: RunningService): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`);
  return res.text();
}

/** Sum of every sample of `metric` whose labels include all of `labels`. */
export function metricSum(text: string, metric: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
