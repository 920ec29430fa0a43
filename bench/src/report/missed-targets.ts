import type { BenchResults } from '../bench-results';
import type { Measurement } from '../measurement';
import type { ProcessProfile, SelfTime } from '../profile/cpu-profile-summary';
import { EXPLANATIONS } from './explanations';
import type { ProfileComparison } from './explanations';
import { count, fixed } from './format';

/** Self time per code group summed over several profiles (e.g. every round of one setting). */
function pooled(profiles: readonly ProcessProfile[]): { busyMs: number; groups: Map<string, number> } {
  const groups = new Map<string, number>();
  let busyMs = 0;
  for (const p of profiles) {
    busyMs += p.busyMs;
    for (const g of p.byPackage) groups.set(g.name, (groups.get(g.name) ?? 0) + g.selfMs);
  }
  return { busyMs, groups };
}

function share(ms: number | undefined, busyMs: number): string {
  return ms === undefined || busyMs <= 0 ? '—' : `${fixed(ms, 0)} ms (${fixed((ms / busyMs) * 100, 1)}%)`;
}

/** A table: CPU self time per code group of the profiles matching each side of the comparison. */
function comparisonTable(comparison: ProfileComparison, profiles: readonly ProcessProfile[]): string[] {
  const sides = comparison.sides
    .map((side) => ({ name: side.name, matched: profiles.filter((p) => side.labels.test(p.label)) }))
    .filter((side) => side.matched.length > 0);
  if (sides.length === 0) return [];
  const pools = sides.map((s) => pooled(s.matched));
  const names = new Set<string>();
  for (const pool of pools) {
    [...pool.groups.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, comparison.topGroups ?? 8)
      .forEach(([name]) => names.add(name));
  }
  const lines = [
    `${comparison.title} — CPU self time by code group (share of busy CPU):`,
    '',
    `| Code group | ${sides.map((s) => `${s.name} (${s.matched.length} process${s.matched.length > 1 ? 'es' : ''})`).join(' | ')} |`,
    `|---|${sides.map(() => '---:').join('|')}|`,
    `| _busy CPU, all threads_ | ${pools.map((p) => `${fixed(p.busyMs, 0)} ms`).join(' | ')} |`,
  ];
  for (const name of names) {
    lines.push(`| ${name} | ${pools.map((p) => share(p.groups.get(name), p.busyMs)).join(' | ')} |`);
  }
  const top = sides[0]!;
  const functions: SelfTime[] = top.matched[0]?.topFunctions.slice(0, 6) ?? [];
  if (functions.length > 0) {
    lines.push(
      '',
      `Top self-time functions of ${top.matched[0]!.label}: ` +
        functions.map((f) => `\`${f.name}\` ${fixed(f.share * 100, 1)}%`).join(', ') +
        '.',
    );
  }
  lines.push('');
  return lines;
}

function roundsLine(measurements: readonly Measurement[]): string[] {
  const withRounds = measurements.filter((m) => m.rounds !== undefined && m.rounds.length > 1);
  if (withRounds.length === 0) return [];
  return [
    'Calls/s per round: ' +
      withRounds
        .map((m) => `${m.label}: ${m.rounds!.map((r) => count(r.throughputPerSec)).join(', ')}`)
        .join('; ') +
      '.',
    '',
  ];
}

/**
 * "Missed targets: what the profile shows": for every missed target, by how much, the explanation
 * written in `explanations.ts`, and the profile figures of this run when it ran with `--profile`.
 */
export function renderMissedTargets(results: BenchResults): string[] {
  const missed = results.targets.filter((t) => t.status === 'missed');
  const lines = ['## Missed targets: what the profile shows', ''];
  if (missed.length === 0) return [...lines, 'Every measured target was met in this run.', ''];
  const profiles = results.scenarios.flatMap((s) => s.profiles ?? []);
  const measurements = results.scenarios.flatMap((s) => s.measurements);
  if (profiles.length === 0) {
    lines.push('This run was not profiled (`--profile`): the figures below are the explanations alone.', '');
  } else {
    lines.push(
      'Profiled run (`--profile`, `node --cpu-prof` in every service process): the profiler costs some ' +
        'throughput itself, so read the ratios, not the absolute figures. Each process is profiled from ' +
        'start to exit (start-up and warm-up included); the .cpuprofile files are in the run’s folder.',
      '',
    );
  }
  for (const target of missed) {
    const explanation = EXPLANATIONS[target.key];
    lines.push(
      `### ${target.description}`,
      '',
      `Measured ${fixed(target.measured ?? undefined)} against ${target.comparison === '>=' ? '≥' : '≤'} ${target.target}: ` +
        `**${target.margin}** (${target.basis}).`,
      '',
    );
    if (explanation === undefined) {
      lines.push('_No explanation written yet._', '');
      continue;
    }
    lines.push(explanation.cost, '');
    if (explanation.showRounds) {
      lines.push(...roundsLine(measurements.filter((m) => explanation.showRounds!.test(m.label))));
    }
    for (const comparison of explanation.profiles ?? []) lines.push(...comparisonTable(comparison, profiles));
  }
  return lines;
}
