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
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  if (!response.ok) throw new Error(`metrics on port ${metricsPort} answered HTTP ${response.status}`);
  return parseCodeCounts(await response.text());
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
