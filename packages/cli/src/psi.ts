/** What `populationStability` found. */
export interface StabilityReport {
  /** Population stability index: Σ (actual − expected) · ln(actual / expected) over the bins. */
  readonly psi: number;
  /** Bin edges: bin i holds scores in [edges[i], edges[i+1]) (the first and last bins are open). */
  readonly edges: number[];
  readonly expected: number[];
  readonly actual: number[];
}

/** Share given to an empty bin so the logarithm stays finite (a common convention). */
export const EMPTY_BIN_SHARE = 1e-4;

function quantileEdges(sorted: readonly number[], bins: number): number[] {
  const edges: number[] = [];
  for (let i = 1; i < bins; i += 1) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / bins))]!;
    if (edges.length === 0 || edge > edges.at(-1)!) edges.push(edge);
  }
  return edges;
}

function shares(scores: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const s of scores) {
    let bin = 0;
    while (bin < edges.length && s >= edges[bin]!) bin += 1;
    counts[bin] += 1;
  }
  return counts.map((c) => Math.max(EMPTY_BIN_SHARE, c / scores.length));
}

/**
 * The population stability index of `actual` scores against a `baseline` (e.g. training) sample,
 * over `bins` quantile bins of the baseline (equal baseline shares; ties merge bins). Below 0.1 is
 * usually read as stable, 0.1 to 0.25 as a moderate shift, above 0.25 as a major one.
 */
export function populationStability(
  baseline: readonly number[],
  actual: readonly number[],
  bins = 10,
): StabilityReport {
  if (baseline.length === 0) throw new Error('the baseline has no scores');
  if (actual.length === 0) throw new Error('no scores to compare');
  const sorted = [...baseline].sort((a, b) => a - b);
  const edges = quantileEdges(sorted, bins);
  const expected = shares(baseline, edges);
  const actualShares = shares(actual, edges);
  let psi = 0;
  expected.forEach((e, i) => {
    const a = actualShares[i]!;
    psi += (a - e) * Math.log(a / e);
  });
  return { psi, edges: [-Infinity, ...edges, Infinity], expected, actual: actualShares };
}
