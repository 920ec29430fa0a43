/**
 * `pnpm bench`: runs every scenario with its baselines, then writes bench/results/<stamp>.json, the
 * Markdown report bench/results/<stamp>.md (+ latest.md) and its SVG charts. Exits non-zero only when
 * a scenario crashed; a missed target or a skipped scenario is reported, not a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '@tally/testkit';
import { parseBenchOptions } from './bench-options';
import type { BenchResults } from './bench-results';
import { machineInfo } from './machine-info';
import { Profiler } from './profile/profiler';
import type { ScenarioResult } from './measurement';
import { chartFiles, renderMarkdown } from './report/render-markdown';
import { renderSvg, scenarioChartSpecs } from './report/charts';
import { ALL_SCENARIOS } from './scenarios';
import { ScenarioSkipped } from './scenarios/scenario';
import type { BenchContext, ScenarioOutput } from './scenarios/scenario';
import { evaluateTargets } from './targets';

const log = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  const root = repoRoot();
  const resultsDir = path.resolve(options.resultsDir ?? path.join(root, 'bench', 'results'));
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-bench-'));
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const profiler = options.cpuProfile
    ? new Profiler(path.join(resultsDir, stamp, 'profiles'), resultsDir)
    : undefined;
  const context: BenchContext = {
    profile: options.profile,
    repoRoot: root,
    tmpDir,
    mysqlUrl: process.env.TALLY_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    log,
    ...(profiler ? { profiler } : {}),
  };
  const unknown = options.only.filter((n) => !ALL_SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  const scenarios = ALL_SCENARIOS.filter((s) => options.only.length === 0 || options.only.includes(s.name));
  const machine = machineInfo(root);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      log(`scenario ${scenario.name}: ${scenario.title}`);
      const output: ScenarioOutput = { measurements: [], notes: [] };
      const t0 = performance.now();
      let status: ScenarioResult['status'] = 'ok';
      let reason: string | undefined;
      try {
        await scenario.run(context, output);
      } catch (err) {
        status = err instanceof ScenarioSkipped ? 'skipped' : 'failed';
        reason =
          err instanceof ScenarioSkipped ? err.reason : err instanceof Error ? err.message : String(err);
        log(`scenario ${scenario.name} ${status}: ${reason}`);
      }
      const profiles = profiler?.collect() ?? [];
      results.push({
        name: scenario.name,
        title: scenario.title,
        status,
        ...(reason !== undefined ? { reason } : {}),
        measurements: output.measurements,
        notes: output.notes,
        elapsedMs: Math.round(performance.now() - t0),
        ...(profiles.length > 0 ? { profiles } : {}),
      });
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  const report: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: options.profile.quick,
    profiled: options.cpuProfile,
    warmupMs: options.profile.warmupMs,
    durationMs: options.profile.durationMs,
    generators: options.profile.generators,
    machine,
    scenarios: results,
    targets: evaluateTargets(results),
  };
  fs.mkdirSync(path.join(resultsDir, stamp), { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  for (const s of results.filter((r) => r.measurements.length > 0)) {
    const specs = scenarioChartSpecs(s);
    const files = chartFiles(stamp, s.name);
    fs.writeFileSync(path.join(resultsDir, files.throughput), await renderSvg(specs.throughput));
    fs.writeFileSync(path.join(resultsDir, files.latency), await renderSvg(specs.latency));
  }
  const markdown = renderMarkdown(report, stamp);
  fs.writeFileSync(path.join(resultsDir, `${stamp}.md`), markdown);
  fs.writeFileSync(path.join(resultsDir, 'latest.md'), markdown);
  log(`wrote ${path.join(resultsDir, `${stamp}.md`)} (and latest.md, ${stamp}.json)`);
  for (const t of report.targets) log(`target: ${t.description}: ${t.status} ${t.margin}`);
  const failed = results.filter((r) => r.status === 'failed');
  for (const f of failed) log(`FAILED ${f.name}: ${f.reason ?? ''}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
