import { fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Measurement, Subject } from '../measurement';
import { summarizeLatencies } from '../stats/latency-summary';
import type { GeneratorReply, GeneratorResult, LoadSpec } from './load-spec';
import { nowUs, recordLoadWindow } from '../profile/load-windows';
import { processCpuMs } from './process-cpu';

const GENERATOR_SCRIPT = path.join(__dirname, 'generator-main.js');

function runGenerator(spec: LoadSpec, generatorIndex: number, generators: number): Promise<GeneratorResult> {
  return new Promise((resolve, reject) => {
    const child = fork(GENERATOR_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const limit = setTimeout(
      () => child.kill('SIGKILL'),
      spec.warmupMs + spec.durationMs + spec.callTimeoutMs + 30000,
    );
    child.once('message', (message: GeneratorReply) => {
      settled = true;
      if (message.type === 'done') resolve(message.result);
      else reject(new Error(`load generator failed: ${message.error}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      if (!settled) reject(new Error(`load generator exited early (code ${code}, signal ${signal})`));
    });
    child.send({ type: 'run', spec, generatorIndex, generators });
  });
}

/** Splits a load over generator processes: concurrency or rate shared out, each at least 1. */
export function splitLoad(spec: LoadSpec, generators: number): LoadSpec[] {
  const mode = spec.mode;
  if (mode.kind === 'closed') {
    const n = Math.max(1, Math.min(generators, mode.concurrency));
    return Array.from({ length: n }, (_, i) => ({
      ...spec,
      mode: {
        kind: 'closed',
        concurrency: Math.floor(mode.concurrency / n) + (i < mode.concurrency % n ? 1 : 0),
      },
    }));
  }
  return Array.from({ length: generators }, () => ({
    ...spec,
    mode: { ...mode, ratePerSec: mode.ratePerSec / generators },
  }));
}

export interface LoadRun {
  label: string;
  subject: Subject;
  spec: LoadSpec;
  generators: number;
  rowsPerCall?: number;
  /** Processes whose CPU is charged to the server side. */
  serverPids?: number[];
}

/** Runs one load across generator processes and merges their figures into one measurement. */
export async function runLoad(run: LoadRun): Promise<Measurement> {
  const parts = splitLoad(run.spec, run.generators);
  const pids = run.serverPids ?? [];
  const cpuBefore = pids.map(processCpuMs);
  const startedAt = performance.now();
  const startUs = nowUs();
  const results = await Promise.all(parts.map((spec, i) => runGenerator(spec, i, parts.length)));
  recordLoadWindow({ startUs, endUs: nowUs() });
  const wallMs = performance.now() - startedAt;
  const cpuAfter = pids.map(processCpuMs);
  const latencies = results.flatMap((r) => r.latenciesMs);
  const errors: Record<string, number> = {};
  for (const r of results) {
    for (const [code, count] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + count;
  }
  const clientCpuMs = results.reduce((sum, r) => sum + r.cpuUserMs + r.cpuSystemMs, 0);
  const clientWallMs = Math.max(...results.map((r) => r.wallMs));
  let serverCpuMs = 0;
  let serverCpuKnown = pids.length > 0;
  pids.forEach((_, i) => {
    const before = cpuBefore[i];
    const after = cpuAfter[i];
    if (before === undefined || after === undefined) serverCpuKnown = false;
    else serverCpuMs += after - before;
  });
  const throughputPerSec = latencies.length / (run.spec.durationMs / 1000);
  const mode = run.spec.mode;
  return {
    label: run.label,
    subject: run.subject,
    load: mode.kind === 'closed' ? `closed c=${mode.concurrency}` : `open ${Math.round(mode.ratePerSec)}/s`,
    ...(mode.kind === 'closed' ? { concurrency: mode.concurrency } : { offeredRatePerSec: mode.ratePerSec }),
    ...(run.rowsPerCall !== undefined
      ? { rowsPerCall: run.rowsPerCall, rowsPerSec: throughputPerSec * run.rowsPerCall }
      : {}),
    throughputPerSec,
    latencyMs: summarizeLatencies(latencies),
    errors,
    windowMs: run.spec.durationMs,
    generators: parts.length,
    clientCpuPercent: (clientCpuMs / clientWallMs) * 100,
    ...(serverCpuKnown
      ? {
          serverCpuPercent: (serverCpuMs / wallMs) * 100,
          // CPU was read around warm-up + window; calls were counted in the window only, so the
          // calls of the whole run are estimated at the window's rate.
          ...(latencies.length > 0
            ? { serverCpuMsPerCall: serverCpuMs / ((latencies.length * wallMs) / run.spec.durationMs) }
            : {}),
        }
      : {}),
  };
}
