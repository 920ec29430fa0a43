import { execFile } from 'node:child_process';
import path from 'node:path';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';

export const CLI_MAIN = path.join(repoRoot(), 'packages/cli/dist/main.js');
export const DEMO_FILE = path.join(repoRoot(), 'data/lending_club.csv');

const BASE_ENV = {
  GRPC_HOST: '127.0.0.1',
  GRPC_PORT: '0',
  METRICS_PORT: '0',
  // Never export traces to a collector left configured in the caller's environment.
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
};

/** The feature-service with the repository's registry (features/), on a SQLite file. */
export function startFeatureService(sqliteFile: string): Promise<ServiceProcess> {
  return startService({
    script: path.join(repoRoot(), 'services/feature-service/dist/main.js'),
    env: { ...BASE_ENV, STORE_URL: `sqlite:${sqliteFile}` },
    startTimeoutMs: 60000,
  });
}

/** The model-server with the repository's models/ (credit_risk 1 and 2), reading features from `featureService`. */
export function startModelServer(featureService: string): Promise<ServiceProcess> {
  return startService({
    script: path.join(repoRoot(), 'services/model-server/dist/main.js'),
    env: {
      ...BASE_ENV,
      MODEL_REPOSITORY: path.join(repoRoot(), 'models'),
      FEATURE_SERVICE_ADDR: featureService,
    },
    startTimeoutMs: 60000,
  });
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `tally` command line (what `pnpm tally …` runs). */
export function tally(args: string[]): Promise<CommandResult> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI_MAIN, ...args], { maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}
