/** Calls a Tally service answered so far, by gRPC status name, from its own metrics (all methods). */
export type CodeCounts = Record<string, number>;

const SERIES = /^tally_rpc_duration_seconds_count\{([^}]*)\}\s+([\d.e+]+)$/;

/** Sums `tally_rpc_duration_seconds_count` by its `code` label (Prometheus text format). */
export function parseCodeCounts(text: string): CodeCounts {
  const counts: CodeCounts = {};
  for (const line of text.split('\n')) {
    const match = SERIES.exec(line.trim());
    if (!match) continue;
    const code = /code="([^"]*)"/.exec(match[1]!)?.[1] ?? 'unknown';
    counts[code] = (counts[code] ?? 0) + Number(match[2]);
  }
  return counts;
}

/** Reads a service's /metrics and returns its calls by status. */
export async function scrapeCodeCounts(metricsPort: number): Promise<CodeCounts> {
  return parseCodeCounts(await scrapeMetrics(metricsPort));
}

/** after − before, per code, dropping codes that did not move. */
export function codeDelta(before: CodeCounts, after: CodeCounts): CodeCounts {
  const delta: CodeCounts = {};
  for (const [code, n] of Object.entries(after)) {
    const moved = n - (before[code] ?? 0);
    if (moved > 0) delta[code] = moved;
  }
  return delta;
}

/** The sum of every series of a counter (any labels) in Prometheus text, e.g. tally_inference_batches_total. */
export function counterTotal(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    total += Number(line.trim().split(/\s+/).at(-1));
  }
  return total;
}

/** A service's /metrics text. */
export async function scrapeMetrics(metricsPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  if (!response.ok) throw new Error(`metrics on port ${metricsPort} answered HTTP ${response.status}`);
  return response.text();
}
