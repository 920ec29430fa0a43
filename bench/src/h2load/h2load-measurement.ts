import path from 'node:path';
import type { Measurement, Subject } from '../measurement';
import { processCpuMs } from '../load/process-cpu';
import { nowUs, recordLoadWindow } from '../profile/load-windows';
import { summarizeLatencies } from '../stats/latency-summary';
import { runH2load } from './h2load';
import { codeDelta, scrapeCodeCounts } from './server-codes';
import type { CodeCounts } from './server-codes';

/** A server process under load: its pid (CPU) and, for Tally services, its metrics port (codes). */
export interface MeasuredProcess {
  pid: number;
  metricsPort?: number;
}

/** One fixed-count h2load run against one gRPC method. */
export interface H2loadCase {
  label: string;
  subject: Subject;
  /** `host:port` and `/package.Service/Method`. */
  address: string;
  method: string;
  frameFile: string;
  calls: number;
  /** Calls in flight (one connection, this many streams). */
  inFlight: number;
  /** Every process whose CPU the call costs (the whole chain for Score). */
  servers: MeasuredProcess[];
  generatorCpus: string | undefined;
  tmpDir: string;
  rowsPerCall?: number;
}

async function codesOf(servers: readonly MeasuredProcess[]): Promise<Array<CodeCounts | undefined>> {
  return Promise.all(servers.map((s) => (s.metricsPort ? scrapeCodeCounts(s.metricsPort) : undefined)));
}

/**
 * Runs a case and measures it: throughput and latency from h2load, server CPU per call from
 * /proc/<pid>/stat (user + system ticks, all threads) before and after, and the calls' gRPC status
 * from the services' own metrics (h2load only sees HTTP 200: gRPC errors travel in trailers).
 */
export async function measureH2load(c: H2loadCase): Promise<Measurement> {
  const codesBefore = await codesOf(c.servers);
  const cpuBefore = c.servers.map((s) => processCpuMs(s.pid));
  const startUs = nowUs();
  const result = await runH2load({
    url: `http://${c.address}${c.method}`,
    frameFile: c.frameFile,
    calls: c.calls,
    connections: 1,
    streams: c.inFlight,
    logFile: path.join(c.tmpDir, `h2load-${process.pid}-${Date.now()}.log`),
    cpus: c.generatorCpus,
  });
  recordLoadWindow({ startUs, endUs: nowUs() });
  const cpuAfter = c.servers.map((s) => processCpuMs(s.pid));
  const codesAfter = await codesOf(c.servers);
  let serverCpuMs: number | undefined = 0;
  c.servers.forEach((_, i) => {
    const before = cpuBefore[i];
    const after = cpuAfter[i];
    serverCpuMs =
      before === undefined || after === undefined ? undefined : (serverCpuMs ?? 0) + after - before;
  });
  // Errors: transport failures seen by h2load, then every non-OK status the services counted.
  const errors: Record<string, number> = {};
  if (result.failed > 0) errors.h2load_failed = result.failed;
  if (result.calls - result.http2xx > 0) errors.http_not_200 = result.calls - result.http2xx;
  codesBefore.forEach((before, i) => {
    const after = codesAfter[i];
    if (!before || !after) return;
    for (const [code, n] of Object.entries(codeDelta(before, after))) {
      if (code !== 'OK') errors[code] = (errors[code] ?? 0) + n;
    }
  });
  const cpuMs = serverCpuMs as number | undefined;
  return {
    label: c.label,
    subject: c.subject,
    load: `h2load ${c.calls} calls, ${c.inFlight} in flight`,
    concurrency: c.inFlight,
    ...(c.rowsPerCall !== undefined
      ? { rowsPerCall: c.rowsPerCall, rowsPerSec: result.throughputPerSec * c.rowsPerCall }
      : {}),
    throughputPerSec: result.throughputPerSec,
    latencyMs: summarizeLatencies(result.latenciesMs),
    errors,
    windowMs: Math.round(result.wallMs),
    generators: 1,
    clientCpuPercent: Number.NaN,
    calls: result.calls,
    ...(cpuMs !== undefined
      ? { serverCpuPercent: (cpuMs / result.wallMs) * 100, serverCpuMsPerCall: cpuMs / result.calls }
      : {}),
  };
}
