import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * Which cores the servers and the load generator run on. With two or more cores they get separate ones
 * (`taskset`), so the generator never takes CPU from the server it measures; with one core, or without
 * `taskset`, nothing is pinned and the report says so.
 */
export interface CpuPlan {
  serverCpus: string | undefined;
  generatorCpus: string | undefined;
  description: string;
}

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function cpuPlan(cpuCount = os.cpus().length, taskset = hasTaskset()): CpuPlan {
  if (!taskset) {
    return {
      serverCpus: undefined,
      generatorCpus: undefined,
      description: 'not pinned: `taskset` (util-linux) is not installed',
    };
  }
  if (cpuCount < 2) {
    return { serverCpus: undefined, generatorCpus: undefined, description: 'not pinned: one CPU only' };
  }
  const last = cpuCount - 1;
  const serverCpus = last === 1 ? '0' : `0-${last - 1}`;
  return {
    serverCpus,
    generatorCpus: String(last),
    description: `servers on CPU ${serverCpus}, h2load on CPU ${last} (taskset)`,
  };
}

/** Pins every thread of `pid` (worker threads included: `-a`) to `cpus`. */
export function pinProcess(pid: number, cpus: string | undefined): void {
  if (cpus === undefined) return;
  execFileSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
}
