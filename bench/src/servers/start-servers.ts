import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { isUnimplemented } from '../load/call-error';
import { ScenarioSkipped } from '../scenarios/scenario';
import type { BenchContext } from '../scenarios/scenario';

export type TallyServiceName = 'feature-service' | 'model-server';

export function serviceScript(context: BenchContext, name: TallyServiceName): string {
  return path.join(context.repoRoot, 'services', name, 'dist', 'main.js');
}

/** Starts a Tally service as in production (compiled main.js, configured by environment only). */
export async function startTallyService(
  context: BenchContext,
  name: TallyServiceName,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
  profileLabel: string = name,
): Promise<ServiceProcess> {
  const script = serviceScript(context, name);
  if (!fs.existsSync(script)) throw new ScenarioSkipped(`${name} is not built (${script} is missing)`);
  return startService({
    script,
    env: { GRPC_PORT: '0', METRICS_PORT: '0', GRPC_HOST: '127.0.0.1', ...env },
    nodeArgs: [...(context.profiler?.nodeArgs(profileLabel) ?? []), ...nodeArgs],
    startTimeoutMs: 60000,
  });
}

/** Names of the environment variables a service declares (its `--describe-config` output). */
export function declaredEnv(context: BenchContext, name: TallyServiceName): string[] {
  const script = serviceScript(context, name);
  if (!fs.existsSync(script)) return [];
  const out = execFileSync(process.execPath, [script, '--describe-config'], { encoding: 'utf8' });
  return (JSON.parse(out) as Array<{ name: string }>).map((v) => v.name);
}

/** Starts the no-op grpc-js baseline server (profiled under `profileLabel` with `--profile`). */
export function startNoopServer(
  env: NodeJS.ProcessEnv = {},
  context?: BenchContext,
  profileLabel = 'no-op server',
): Promise<ServiceProcess> {
  return startService({
    script: path.join(__dirname, 'noop-server-main.js'),
    env,
    nodeArgs: context?.profiler?.nodeArgs(profileLabel) ?? [],
    startTimeoutMs: 20000,
  });
}

/** Runs `call` once; an UNIMPLEMENTED answer skips the scenario, any other error fails it. */
export async function probe(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (isUnimplemented(err)) throw new ScenarioSkipped(`${what} answers UNIMPLEMENTED`);
    throw new Error(
      `${what} failed before the measurement: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Stops every process, ignoring ones already gone. */
export async function stopAll(processes: Array<ServiceProcess | undefined>): Promise<void> {
  await Promise.all(processes.map((p) => p?.stop('SIGTERM', 10000)));
}
