import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInferenceServiceClient, createScoringServiceClient } from '@tally/contracts';
import { freePort, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';

/** The compiled entry point (services/model-server/dist/main.js). */
export const MODEL_SERVER_MAIN = path.resolve(__dirname, '../../dist/main.js');

export interface RunningModelServer {
  process: ServiceProcess;
  address: string;
  metricsPort: number;
  inference: ReturnType<typeof createInferenceServiceClient>;
  scoring: ReturnType<typeof createScoringServiceClient>;
  /** Closes the clients and stops the process (SIGTERM). */
  stop(): Promise<void>;
}

/** Starts a real model-server process on `repository` (free ports) and waits until it listens. */
export async function startModelServer(
  repository: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningModelServer> {
  const metricsPort = await freePort();
  // Each server gets its own decision log (removed when it exits) unless the test gives one.
  const decisions = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-decisions-'));
  const proc = await startService({
    script: MODEL_SERVER_MAIN,
    env: {
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      METRICS_PORT: String(metricsPort),
      MODEL_REPOSITORY: repository,
      LOG_LEVEL: 'info',
      DECISION_LOG_DIR: path.join(decisions, 'wal'),
      DECISION_DATABASE_URL: `sqlite:${path.join(decisions, 'decisions.sqlite')}`,
      ...env,
    },
    startTimeoutMs: 60000,
  }).catch((error: unknown) => {
    fs.rmSync(decisions, { recursive: true, force: true });
    throw error;
  });
  void proc.exited.then(() => fs.rmSync(decisions, { recursive: true, force: true }));
  const inference = createInferenceServiceClient(proc.address);
  const scoring = createScoringServiceClient(proc.address);
  return {
    process: proc,
    address: proc.address,
    metricsPort,
    inference,
    scoring,
    async stop() {
      inference.close();
      scoring.close();
      await proc.stop();
    },
  };
}
