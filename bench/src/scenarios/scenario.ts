import type { Measurement } from '../measurement';
import type { Profiler } from '../profile/profiler';

/** How long each piece of a run lasts; `--quick` shrinks them all. */
export interface BenchProfile {
  quick: boolean;
  warmupMs: number;
  durationMs: number;
  /** Load generator processes for any load above concurrency 1. */
  generators: number;
  /** Rounds of the interleaved tracing comparison (off, 1%, 100%, off, …). */
  tracingRounds: number;
}

export interface BenchContext {
  profile: BenchProfile;
  repoRoot: string;
  /** A scratch folder removed at the end of the run. */
  tmpDir: string;
  /** Server URL of the MySQL used for the store and the raw baseline (no database part). */
  mysqlUrl: string;
  log(message: string): void;
  /** Set with `--profile`: service processes then run under `node --cpu-prof`. */
  profiler?: Profiler;
}

/** A scenario adds measurements and notes as it goes, so a later failure keeps what was measured. */
export interface ScenarioOutput {
  measurements: Measurement[];
  notes: string[];
}

export interface Scenario {
  name: string;
  title: string;
  run(context: BenchContext, output: ScenarioOutput): Promise<void>;
}

/** Thrown when a scenario cannot run at this stage of the project (service missing or UNIMPLEMENTED). */
export class ScenarioSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ScenarioSkipped';
  }
}
