import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  hostname: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  nodeVersion: string;
  gitCommit: string;
  /** True when the work tree had uncommitted changes at the time of the run. */
  gitDirty: boolean;
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  loadAverageAtStart: number;
}

function git(repoRoot: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(repoRoot: string): MachineInfo {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    nodeVersion: process.version,
    gitCommit: git(repoRoot, ['rev-parse', 'HEAD']) || 'unknown',
    gitDirty: git(repoRoot, ['status', '--porcelain', '--untracked-files=no']) !== '',
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
