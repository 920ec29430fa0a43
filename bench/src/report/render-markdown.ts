import type { BenchResults } from '../bench-results';
import type { ScenarioResult } from '../measurement';
import type { TargetRow } from '../targets';
import { count, errorsText, fixed, ms } from './format';
import { renderMissedTargets } from './missed-targets';

/** File names of one scenario's charts, relative to the report. */
export function chartFiles(stamp: string, scenario: string): { throughput: string; latency: string } {
  return {
    throughput: `${stamp}/${scenario}-throughput.svg`,
    latency: `${stamp}/${scenario}-latency.svg`,
  };
}

function targetLine(row: TargetRow): string {
  const status = row.status === 'met' ? '**met**' : row.status === 'missed' ? '**missed**' : 'not measured';
  return `| ${row.description} | ${fixed(row.measured ?? undefined)} | ${row.comparison === '>=' ? '≥' : '≤'} ${row.target} | ${status} | ${row.margin} |`;
}

function measurementTable(scenario: ScenarioResult): string[] {
  const lines = [
    '| Measurement | Load | Calls/s | Rows/s | p50 ms | p90 ms | p99 ms | max ms | Errors | Client CPU % | Server CPU % | Server CPU ms/call |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|',
  ];
  for (const m of scenario.measurements) {
    lines.push(
      `| ${m.subject === 'baseline' ? '_baseline_: ' : ''}${m.label} | ${m.load} | ${count(m.throughputPerSec)} | ${count(m.rowsPerSec)} | ${ms(m.latencyMs.p50)} | ${ms(m.latencyMs.p90)} | ${ms(m.latencyMs.p99)} | ${ms(m.latencyMs.max)} | ${errorsText(m.errors)} | ${Number.isFinite(m.clientCpuPercent) ? `${fixed(m.clientCpuPercent, 0)} (${m.generators} proc)` : 'h2load'} | ${fixed(m.serverCpuPercent, 0)} | ${fixed(m.serverCpuMsPerCall, 3)} |`,
    );
  }
  return lines;
}

/** The Markdown report of one run. Charts are referenced by `chartFiles(stamp, scenario)`. */
export function renderMarkdown(results: BenchResults, stamp: string, extraSections: string[] = []): string {
  const m = results.machine;
  const lines: string[] = [
    `# Tally benchmark — ${results.startedAt}${results.quick ? ' (quick smoke run)' : ''}`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.nodeVersion}; ` +
      `commit \`${m.gitCommit.slice(0, 12)}\`${m.gitDirty ? ' (with uncommitted changes)' : ''}; ` +
      `load average at start ${m.loadAverageAtStart}.`,
    '',
    `Each measurement: ${results.warmupMs} ms warm-up (excluded), then ${results.durationMs} ms measured. ` +
      `Load comes from ${results.generators} forked generator processes (1 for a single caller), on loopback; ` +
      'closed loop = N callers each sending when the last answer arrives; open loop = calls sent on a fixed ' +
      'schedule, latency counted from the scheduled time (no coordinated omission). Client CPU is the ' +
      'generators’ CPU summed (% of one core); server CPU is the process under test, worker threads included.',
    '',
    '## Targets',
    '',
    '| Target | Measured | Target | Status | Margin |',
    '|---|---:|---:|---|---|',
    ...results.targets.map(targetLine),
    '',
    ...renderMissedTargets(results),
  ];
  for (const s of results.scenarios) {
    lines.push(`## ${s.title} (\`${s.name}\`)`, '');
    if (s.status !== 'ok') lines.push(`**${s.status}: ${s.reason ?? ''}**`, '');
    lines.push(...s.notes.map((n) => `- ${n}`));
    if (s.notes.length > 0) lines.push('');
    if (s.measurements.length > 0) {
      const charts = chartFiles(stamp, s.name);
      lines.push(
        ...measurementTable(s),
        '',
        `![${s.title} throughput](${charts.throughput})`,
        '',
        `![${s.title} latency](${charts.latency})`,
        '',
      );
    }
  }
  lines.push(...extraSections);
  return `${lines.join('\n')}\n`;
}
