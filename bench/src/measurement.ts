import type { ProcessProfile } from './profile/cpu-profile-summary';
import type { LatencySummary } from './stats/latency-summary';

/** Who answered: the system under test, or a baseline it is compared with. */
export type Subject = 'service' | 'baseline';

/** One measured figure set: a system under one load, as it goes into the JSON and the report. */
export interface Measurement {
  /** Unique within its scenario, e.g. "model-server batching on, c=64". */
  label: string;
  subject: Subject;
  /** How the load was offered: "closed c=64", "open 2000/s", or "in-process batch 16". */
  load: string;
  concurrency?: number;
  offeredRatePerSec?: number;
  /** Rows per call (model inference) or entities per call (feature vectors). */
  rowsPerCall?: number;
  /** Successful calls per second over the measured window. */
  throughputPerSec: number;
  /** Successful rows (or entities) per second: throughput × rowsPerCall. */
  rowsPerSec?: number;
  latencyMs: LatencySummary;
  errors: Record<string, number>;
  windowMs: number;
  /** Load generator processes, and their CPU as % of one core (user + system) over the run. */
  generators: number;
  clientCpuPercent: number;
  /** CPU of the server processes under test (% of one core), when there were any. */
  serverCpuPercent?: number;
  /** Calls made (a fixed count: the h2load runs). */
  calls?: number;
  /** Server CPU (user + system of every server process, threads included) per call, in ms. */
  serverCpuMsPerCall?: number;
  /** When measured in several rounds: every round; the figures above are the median round's. */
  rounds?: Measurement[];
}

/** What a scenario produced. */
export interface ScenarioResult {
  name: string;
  title: string;
  status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  measurements: Measurement[];
  /** Facts a reader needs: model used, whether the cache was off, etc. */
  notes: string[];
  elapsedMs: number;
  /** With `--profile`: what each service process of the scenario spent its CPU on. */
  profiles?: ProcessProfile[];
}
