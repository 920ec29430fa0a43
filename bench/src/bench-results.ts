import type { MachineInfo } from './machine-info';
import type { ScenarioResult } from './measurement';
import type { TargetRow } from './targets';

/** Everything one run wrote to bench/results/<timestamp>.json. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  /** Run with `--profile` (CPU profiles cost some throughput: compare ratios, not absolute figures). */
  profiled?: boolean;
  warmupMs: number;
  durationMs: number;
  generators: number;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
  targets: TargetRow[];
}
