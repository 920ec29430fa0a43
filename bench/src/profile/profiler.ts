import fs from 'node:fs';
import path from 'node:path';
import { summarizeProfileDir } from './cpu-profile-summary';
import type { ProcessProfile } from './cpu-profile-summary';
import { takeLoadWindows } from './load-windows';

/**
 * `--profile`: every service process the bench starts runs under `node --cpu-prof`, writing its
 * .cpuprofile files (one per thread) into a folder of its own under the run's results folder.
 * After a scenario, `collect()` summarises the processes started since the last call (they are
 * stopped by then: node writes the profile when the process exits).
 */
export class Profiler {
  private sequence = 0;
  private pending: Array<{ label: string; dir: string }> = [];

  /** @param rootDir where the profile folders go; @param resultsDir the paths in the summaries are relative to it. */
  constructor(
    readonly rootDir: string,
    private readonly resultsDir: string,
  ) {}

  /** Node arguments that profile the process about to be started under `label`. */
  nodeArgs(label: string): string[] {
    this.sequence += 1;
    const slug = label.replace(/[^a-zA-Z0-9.-]+/g, '-').replace(/^-|-$/g, '');
    const dir = path.join(this.rootDir, `${String(this.sequence).padStart(2, '0')}-${slug}`);
    fs.mkdirSync(dir, { recursive: true });
    this.pending.push({ label, dir });
    return ['--cpu-prof', '--cpu-prof-dir', dir];
  }

  /** Summaries of the processes started since the last call, in start order. */
  collect(): ProcessProfile[] {
    const done = this.pending;
    this.pending = [];
    const windows = takeLoadWindows();
    return done.flatMap(({ label, dir }) => {
      const summary = summarizeProfileDir(label, dir, this.resultsDir, windows);
      return summary ? [summary] : [];
    });
  }
}
