import type { BenchResults } from '../bench-results';
import type { Measurement, ScenarioResult } from '../measurement';
import { labels } from '../measurement-labels';
import { evaluateTargets, judge } from '../targets';
import { scenarioChartSpecs } from './charts';
import { renderMarkdown } from './render-markdown';

function measurement(label: string, throughputPerSec: number, p99: number): Measurement {
  return {
    label,
    subject: label.startsWith('no-op') ? 'baseline' : 'service',
    load: 'closed c=64',
    throughputPerSec,
    latencyMs: { count: 10, mean: p99 / 2, p50: p99 / 3, p90: p99 / 2, p99, max: p99 },
    errors: { UNAVAILABLE: 2 },
    windowMs: 1000,
    generators: 2,
    clientCpuPercent: 50,
  };
}

const scenario: ScenarioResult = {
  name: 'model-infer',
  title: 'ModelInfer',
  status: 'ok',
  measurements: [
    measurement(labels.infer.noop(64), 1000, 10),
    measurement(labels.infer.batched(64), 900, 12),
    measurement(labels.infer.unbatched(64), 450, 30),
  ],
  notes: ['a note'],
  elapsedMs: 1,
};

describe('targets', () => {
  it('judges ratios against each target and says by how much', () => {
    expect(judge(0.9, '>=', 0.8)).toEqual({ measured: 0.9, status: 'met', margin: '12.5% above the target' });
    expect(judge(0.4, '>=', 0.8)).toEqual({
      measured: 0.4,
      status: 'missed',
      margin: '50% short of the target',
    });
    expect(judge(3, '<=', 2)).toMatchObject({ status: 'missed', margin: '50% over the target' });
    expect(judge(undefined, '<=', 2)).toMatchObject({ status: 'not measured', measured: null });
  });

  it('computes the ModelInfer ratios from the measurements and leaves absent ones unmeasured', () => {
    const rows = evaluateTargets([scenario]);
    expect(rows[0]).toMatchObject({ measured: 0.9, status: 'met' });
    expect(rows[1]).toMatchObject({ measured: 2, status: 'missed' });
    expect(rows.slice(2).every((r) => r.status === 'not measured')).toBe(true);
  });
});

describe('report', () => {
  const results: BenchResults = {
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    quick: false,
    warmupMs: 2000,
    durationMs: 6000,
    generators: 2,
    machine: {
      hostname: 'h',
      cpus: 2,
      cpuModel: 'Test CPU',
      memoryGiB: 24,
      platform: 'Linux',
      nodeVersion: 'v20.20.0',
      gitCommit: 'abcdef0123456789',
      gitDirty: false,
      loadAverageAtStart: 0.5,
    },
    scenarios: [
      scenario,
      {
        ...scenario,
        name: 'score',
        title: 'Score',
        status: 'skipped',
        reason: 'not yet',
        measurements: [],
        notes: [],
      },
    ],
    targets: evaluateTargets([scenario]),
  };

  it('states the machine, every target with its status, each measurement and skipped scenarios', () => {
    const md = renderMarkdown(results, 'stamp');
    expect(md).toContain('2 × Test CPU');
    expect(md).toContain('commit `abcdef012345`');
    expect(md).toMatch(
      /batching on vs batching off.*\| 2\.00 \| ≥ 3 \| \*\*missed\*\* \| 33\.3% short of the target/,
    );
    expect(md).toContain('| model-server batching on, c=64 | closed c=64 | 900 |');
    expect(md).toContain('UNAVAILABLE: 2');
    expect(md).toContain('**skipped: not yet**');
    expect(md).toContain('](stamp/model-infer-throughput.svg)');
  });

  it('charts every measurement with latencies, in the table order', () => {
    const specs = scenarioChartSpecs(scenario);
    const data = (specs.throughput.data as { values: Array<{ label: string; throughput: number }> }).values;
    expect(data.map((d) => d.throughput)).toEqual([1000, 900, 450]);
    const latency = (specs.latency.data as { values: unknown[] }).values;
    expect(latency).toHaveLength(9);
  });
});

describe('missed targets section', () => {
  const profile = (label: string, groups: Array<[string, number]>) => ({
    label,
    files: [],
    wallMs: 1000,
    loadWindowsOnly: true,
    busyMs: groups.reduce((a, [, ms]) => a + ms, 0),
    topFunctions: [{ name: 'hot fn', selfMs: groups[0]![1], share: 0.5 }],
    byPackage: groups.map(([name, selfMs]) => ({ name, selfMs, share: 0 })),
  });
  const tracing: ScenarioResult = {
    name: 'tracing',
    title: 'Tracing',
    status: 'ok',
    measurements: [
      {
        ...measurement(labels.tracing.at('off'), 400, 10),
        rounds: [measurement('a', 380, 1), measurement('b', 400, 1)],
      },
      measurement(labels.tracing.at('1%'), 300, 10),
    ],
    notes: [],
    elapsedMs: 1,
    profiles: [
      profile('model-server tracing 1% round 1', [
        ['@opentelemetry/sdk-trace-base', 300],
        ['@grpc/grpc-js', 300],
      ]),
      profile('model-server tracing off round 1', [['@grpc/grpc-js', 400]]),
    ],
  };
  const results = (scenarios: ScenarioResult[]): BenchResults => ({
    startedAt: 't',
    finishedAt: 't',
    quick: true,
    warmupMs: 1,
    durationMs: 1,
    generators: 1,
    machine: {
      hostname: 'h',
      cpus: 2,
      cpuModel: 'c',
      memoryGiB: 1,
      platform: 'p',
      nodeVersion: 'v',
      gitCommit: 'abc',
      gitDirty: false,
      loadAverageAtStart: 0,
    },
    scenarios,
    targets: evaluateTargets(scenarios),
  });

  it('says by how much each missed target is missed and renders the profile figures of the run', () => {
    const md = renderMarkdown(results([scenario, tracing]), 'stamp');
    const section = md.slice(md.indexOf('## Missed targets'));
    expect(section).toContain('### ModelInfer, single row, c=64, batching on vs batching off (throughput)');
    expect(section).toContain('**33.3% short of the target**');
    expect(section).toContain('### Tracing at 1% sampling: throughput cost vs tracing off');
    expect(section).toContain('**733.3% over the target**');
    expect(section).toContain('tracing off, c=16: 380, 400');
    expect(section).toMatch(/\| @opentelemetry\/sdk-trace-base \| 300 ms \(50\.0%\) \| — \|/);
    expect(section).toContain('`hot fn` 50.0%');
    expect(section).not.toContain('### Feature vector');
  });
});
