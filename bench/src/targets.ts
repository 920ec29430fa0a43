import type { Measurement, ScenarioResult } from './measurement';
import { labels } from './measurement-labels';

export interface TargetRow {
  /** Stable name of the target (keys `report/explanations.ts`). */
  key: string;
  description: string;
  /** What the ratio is made of. */
  basis: string;
  measured: number | null;
  comparison: '>=' | '<=';
  target: number;
  status: 'met' | 'missed' | 'not measured';
  /** "by 23%" style distance to the target when missed, or the margin when met. */
  margin: string;
}

type Lookup = (label: string) => Measurement | undefined;

interface TargetDefinition {
  key: string;
  description: string;
  basis: string;
  comparison: '>=' | '<=';
  target: number;
  measure(find: Lookup): number | undefined;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || !(b > 0) || !Number.isFinite(a) ? undefined : a / b;
}

/** Throughput cost of tracing: 1 − throughput(sampled) / throughput(tracing off). */
function tracingCost(find: Lookup, sampling: string): number | undefined {
  const r = ratio(
    find(labels.tracing.at(sampling))?.throughputPerSec,
    find(labels.tracing.at('off'))?.throughputPerSec,
  );
  return r === undefined ? undefined : 1 - r;
}

/** Every round of a measurement (one when it was measured once). */
function roundsOf(m: Measurement | undefined): Measurement[] | undefined {
  return m === undefined ? undefined : (m.rounds ?? [m]);
}

/** The median of the per-round ratios metric(a) / metric(b), rounds paired in order. */
export function medianRatio(
  find: Lookup,
  a: string,
  b: string,
  metric: (m: Measurement) => number | undefined,
): number | undefined {
  const ra = roundsOf(find(a));
  const rb = roundsOf(find(b));
  if (ra === undefined || rb === undefined) return undefined;
  const ratios = ra
    .slice(0, rb.length)
    .map((m, i) => ratio(metric(m), metric(rb[i]!)))
    .filter((r): r is number => r !== undefined)
    .sort((x, y) => x - y);
  if (ratios.length === 0) return undefined;
  const mid = Math.floor(ratios.length / 2);
  return ratios.length % 2 === 1 ? ratios[mid] : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

/** The median over rounds of one measurement's metric. */
function medianOf(find: Lookup, label: string, metric: (m: Measurement) => number | undefined) {
  const values = (roundsOf(find(label)) ?? [])
    .map(metric)
    .filter((v): v is number => v !== undefined && Number.isFinite(v))
    .sort((x, y) => x - y);
  if (values.length === 0) return undefined;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1]! + values[mid]!) / 2;
}

const cost = labels.cost;
const p50 = (m: Measurement) => m.latencyMs.p50;
const cpuPerCall = (m: Measurement) => m.serverCpuMsPerCall;

/** Issue 16's targets, measured by the server-cost scenario (h2load, pinned cores, fixed call counts). */
const SERVER_COST_TARGETS: TargetDefinition[] = [
  {
    key: 'cost-infer-c1-p50',
    description: 'ModelInfer 1 row, one call at a time (h2load): model-server p50 / no-op p50',
    basis: `${cost.infer(1)} / ${cost.inferNoop(1)}, p50, median of rounds`,
    comparison: '<=',
    target: 1.3,
    measure: (f) => medianRatio(f, cost.infer(1), cost.inferNoop(1), p50),
  },
  {
    key: 'cost-infer-c64-throughput',
    description: 'ModelInfer 1 row, 64 in flight (h2load): model-server throughput / no-op',
    basis: `${cost.infer(64)} / ${cost.inferNoop(64)}, calls/s, median of rounds`,
    comparison: '>=',
    target: 0.8,
    measure: (f) => medianRatio(f, cost.infer(64), cost.inferNoop(64), (m) => m.throughputPerSec),
  },
  {
    key: 'cost-infer-cpu',
    description: 'Server CPU per ModelInfer call, 64 in flight (h2load): model-server / no-op',
    basis: `${cost.infer(64)} / ${cost.inferNoop(64)}, CPU ms per call, median of rounds`,
    comparison: '<=',
    target: 1.5,
    measure: (f) => medianRatio(f, cost.infer(64), cost.inferNoop(64), cpuPerCall),
  },
  {
    key: 'cost-features-p99',
    description:
      'GetFeatureVectors 1 entity warm, one at a time (h2load): p99 in ms (client-side, an upper bound)',
    basis: `${cost.features}, p99, median of rounds`,
    comparison: '<=',
    target: 0.8,
    measure: (f) => medianOf(f, cost.features, (m) => m.latencyMs.p99),
  },
  {
    key: 'cost-score-c1-p50',
    description: 'Score end to end, one at a time (h2load): p50 / no-op two-hop chain p50',
    basis: `${cost.score} / ${cost.chain}, p50, median of rounds`,
    comparison: '<=',
    target: 1.5,
    measure: (f) => medianRatio(f, cost.score, cost.chain, p50),
  },
  {
    key: 'cost-tracing-1-cpu',
    description: 'Server CPU per Score call, tracing at 1% / off (h2load, both services)',
    basis: `${cost.tracing('1%')} / ${cost.tracing('off')}, CPU ms per call, median of rounds`,
    comparison: '<=',
    target: 1.03,
    measure: (f) => medianRatio(f, cost.tracing('1%'), cost.tracing('off'), cpuPerCall),
  },
  {
    key: 'cost-tracing-100-cpu',
    description: 'Server CPU per Score call, tracing at 100% / off (h2load, both services)',
    basis: `${cost.tracing('100%')} / ${cost.tracing('off')}, CPU ms per call, median of rounds`,
    comparison: '<=',
    target: 1.15,
    measure: (f) => medianRatio(f, cost.tracing('100%'), cost.tracing('off'), cpuPerCall),
  },
];

export const TARGETS: TargetDefinition[] = [
  {
    key: 'infer-batched-vs-noop',
    description: 'ModelInfer, single row, c=64, batching on vs the no-op server (throughput)',
    basis: `${labels.infer.batched(64)} / ${labels.infer.noop(64)}`,
    comparison: '>=',
    target: 0.8,
    measure: (f) =>
      ratio(f(labels.infer.batched(64))?.throughputPerSec, f(labels.infer.noop(64))?.throughputPerSec),
  },
  {
    key: 'infer-batched-vs-unbatched',
    description: 'ModelInfer, single row, c=64, batching on vs batching off (throughput)',
    basis: `${labels.infer.batched(64)} / ${labels.infer.unbatched(64)}`,
    comparison: '>=',
    target: 3,
    measure: (f) =>
      ratio(f(labels.infer.batched(64))?.throughputPerSec, f(labels.infer.unbatched(64))?.throughputPerSec),
  },
  {
    key: 'features-warm-1-throughput',
    description: 'Feature vector, 1 entity, warm cache vs no-op (throughput)',
    basis: `${labels.features.warm(1)} / ${labels.features.noop(1)}`,
    comparison: '>=',
    target: 0.7,
    measure: (f) =>
      ratio(f(labels.features.warm(1))?.throughputPerSec, f(labels.features.noop(1))?.throughputPerSec),
  },
  {
    key: 'features-warm-1-p99',
    description: 'Feature vector, 1 entity, warm cache vs no-op (p99 at the same offered rate, open loop)',
    basis: `${labels.features.warmOpen} / ${labels.features.noopOpen}`,
    comparison: '<=',
    target: 2,
    measure: (f) =>
      ratio(f(labels.features.warmOpen)?.latencyMs.p99, f(labels.features.noopOpen)?.latencyMs.p99),
  },
  {
    key: 'features-cold-100-p99',
    description: 'Feature vectors, 100 entities, cold store vs raw mysql2 for the same keys (p99)',
    basis: `${labels.features.cold(100)} / ${labels.features.mysql(100)}`,
    comparison: '<=',
    target: 3,
    measure: (f) =>
      ratio(f(labels.features.cold(100))?.latencyMs.p99, f(labels.features.mysql(100))?.latencyMs.p99),
  },
  {
    key: 'score-vs-chain',
    description: 'Score end to end vs the no-op two-hop chain (throughput)',
    basis: `${labels.score.score} / ${labels.score.chain}`,
    comparison: '>=',
    target: 0.4,
    measure: (f) => ratio(f(labels.score.score)?.throughputPerSec, f(labels.score.chain)?.throughputPerSec),
  },
  {
    key: 'tracing-100',
    description: 'Tracing at 100% sampling: throughput cost vs tracing off',
    basis: `1 − ${labels.tracing.at('100%')} / ${labels.tracing.at('off')}`,
    comparison: '<=',
    target: 0.15,
    measure: (f) => tracingCost(f, '100%'),
  },
  {
    key: 'tracing-1',
    description: 'Tracing at 1% sampling: throughput cost vs tracing off',
    basis: `1 − ${labels.tracing.at('1%')} / ${labels.tracing.at('off')}`,
    comparison: '<=',
    target: 0.03,
    measure: (f) => tracingCost(f, '1%'),
  },
  ...SERVER_COST_TARGETS,
  {
    key: 'scale-out-2x',
    description:
      'GetFeatureVectors, 2 feature-service processes behind one round_robin client vs 1 (throughput)',
    basis: `${labels.scaleOut.two} / ${labels.scaleOut.one}, calls/s, median of rounds`,
    comparison: '>=',
    target: 1.8,
    measure: (f) => medianRatio(f, labels.scaleOut.two, labels.scaleOut.one, (m) => m.throughputPerSec),
  },
];

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** Judges one measured value against its target, saying by how much it is met or missed. */
export function judge(
  measured: number | undefined,
  comparison: '>=' | '<=',
  target: number,
): Pick<TargetRow, 'status' | 'margin' | 'measured'> {
  if (measured === undefined || Number.isNaN(measured)) {
    return { measured: null, status: 'not measured', margin: '' };
  }
  const met = comparison === '>=' ? measured >= target : measured <= target;
  const distance = target === 0 ? Math.abs(measured) : Math.abs(measured - target) / Math.abs(target);
  const side = comparison === '>=' ? (met ? 'above' : 'short of') : met ? 'under' : 'over';
  return { measured, status: met ? 'met' : 'missed', margin: `${percent(distance)} ${side} the target` };
}

/** Every target of the issue, evaluated against the measurements of this run. */
export function evaluateTargets(scenarios: readonly ScenarioResult[]): TargetRow[] {
  const all = scenarios.flatMap((s) => s.measurements);
  const find: Lookup = (label) => all.find((m) => m.label === label);
  return TARGETS.map((t) => ({
    key: t.key,
    description: t.description,
    basis: t.basis,
    comparison: t.comparison,
    target: t.target,
    ...judge(t.measure(find), t.comparison, t.target),
  }));
}
