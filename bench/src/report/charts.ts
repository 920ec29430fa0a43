import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { ScenarioResult } from '../measurement';

/** Vega-Lite specs of one scenario's two charts (pure data, so they can be tested and kept). */
export function scenarioChartSpecs(scenario: ScenarioResult): {
  throughput: TopLevelSpec;
  latency: TopLevelSpec;
} {
  const rows = scenario.measurements.filter((m) => m.latencyMs.count > 0);
  const order = rows.map((m) => m.label);
  const throughput: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${scenario.title}: throughput (successful calls/s)`,
    width: 480,
    data: {
      values: rows.map((m) => ({ label: m.label, subject: m.subject, throughput: m.throughputPerSec })),
    },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 320 } },
      x: { field: 'throughput', type: 'quantitative', title: 'calls/s' },
      color: { field: 'subject', type: 'nominal', title: null, scale: { domain: ['service', 'baseline'] } },
    },
  };
  const latency: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${scenario.title}: latency percentiles (ms, log scale)`,
    width: 480,
    data: {
      values: rows.flatMap((m) =>
        (['p50', 'p90', 'p99'] as const).map((p) => ({
          label: m.label,
          percentile: p,
          ms: Math.max(m.latencyMs[p], 0.001),
        })),
      ),
    },
    mark: { type: 'point', filled: true, size: 70, tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 320 } },
      x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms' },
      color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p90', 'p99'], title: null },
      shape: { field: 'percentile', type: 'nominal', sort: ['p50', 'p90', 'p99'], title: null },
    },
  };
  return { throughput, latency };
}

/** Renders a Vega-Lite spec to SVG with Vega's headless renderer (no canvas needed). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
