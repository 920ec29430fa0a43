import type { ProcessSample } from './process-sample';

/** One sampling point of the soak: load figures of the interval that ended, and each process. */
export interface SoakPoint {
  /** Seconds since the steady load started. */
  atSeconds: number;
  /** Score calls answered OK in the interval, and failed ones by gRPC status name. */
  ok: number;
  failed: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  processes: Record<string, ProcessSample>;
}

export interface SoakResult {
  startedAt: string;
  minutes: number;
  ratePerSec: number;
  keys: number;
  machine: string;
  points: SoakPoint[];
  /** The first message seen per failure status. */
  failureExamples?: Record<string, string>;
}

/** Least-squares slope of `ys` over `xs` (per unit of x). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i += 1) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Growth of a series from its first third to its last third (medians), as a ratio (0.05 = +5%). */
export function thirdsGrowth(values: readonly number[]): number {
  const third = Math.max(1, Math.floor(values.length / 3));
  const first = median(values.slice(0, third));
  const last = median(values.slice(-third));
  return first === 0 ? 0 : (last - first) / first;
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(1);

/** The Markdown report: a table over time per process, then the trend of each figure. */
export function renderSoakReport(result: SoakResult): string {
  const lines: string[] = [
    `# Soak: steady Score load for ${result.minutes} minutes`,
    '',
    `Started ${result.startedAt} on ${result.machine}. Offered load: ${result.ratePerSec} Score/s (open loop), entity keys cycling over ${result.keys} applicants, both services on one MySQL database.`,
    '',
  ];
  const names = Object.keys(result.points[0]?.processes ?? {});
  const totalOk = result.points.reduce((s, p) => s + p.ok, 0);
  const failed: Record<string, number> = {};
  for (const p of result.points)
    for (const [k, v] of Object.entries(p.failed)) failed[k] = (failed[k] ?? 0) + v;
  lines.push(
    `Calls answered OK: ${totalOk}; failed: ${
      Object.keys(failed).length === 0
        ? 'none'
        : Object.entries(failed)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
    }.`,
    '',
    ...Object.entries(result.failureExamples ?? {}).map(([code, details]) => `- first ${code}: ${details}`),
    '',
    '| t (s) | OK/s | p50 ms | p99 ms | ' +
      names.map((n) => `${n} RSS MiB | ${n} heap MiB | ${n} fds | ${n} handles | ${n} threads`).join(' | ') +
      ' |',
    '|' + '---|'.repeat(4 + names.length * 5),
  );
  let previous = 0;
  for (const p of result.points) {
    const interval = Math.max(1, p.atSeconds - previous);
    previous = p.atSeconds;
    const cells = names.flatMap((n) => {
      const s = p.processes[n]!;
      return [
        mib(s.rssBytes),
        s.heapUsedBytes === undefined ? '–' : mib(s.heapUsedBytes),
        String(s.openFds),
        s.activeHandles === undefined ? '–' : String(s.activeHandles),
        String(s.threads),
      ];
    });
    lines.push(
      `| ${p.atSeconds} | ${(p.ok / interval).toFixed(0)} | ${p.p50Ms.toFixed(2)} | ${p.p99Ms.toFixed(2)} | ${cells.join(' | ')} |`,
    );
  }
  lines.push('', '## Trend (first third vs last third of the samples, and least-squares slope)', '');
  lines.push(
    '| process | figure | first third | last third | change | slope per minute |',
    '|---|---|---|---|---|---|',
  );
  const minutes = result.points.map((p) => p.atSeconds / 60);
  for (const n of names) {
    const series: Array<[string, (s: ProcessSample) => number | undefined, (v: number) => string]> = [
      ['RSS MiB', (s) => s.rssBytes, mib],
      ['heap MiB', (s) => s.heapUsedBytes, mib],
      ['open fds', (s) => s.openFds, (v) => v.toFixed(1)],
      ['active handles', (s) => s.activeHandles, (v) => v.toFixed(1)],
      ['threads', (s) => s.threads, (v) => v.toFixed(1)],
    ];
    for (const [label, pick, format] of series) {
      const values = result.points.map((p) => pick(p.processes[n]!));
      if (values.some((v) => v === undefined)) continue;
      const numbers = values as number[];
      const third = Math.max(1, Math.floor(numbers.length / 3));
      lines.push(
        `| ${n} | ${label} | ${format(median(numbers.slice(0, third)))} | ${format(median(numbers.slice(-third)))} | ${(thirdsGrowth(numbers) * 100).toFixed(1)}% | ${format(slope(minutes, numbers))} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
