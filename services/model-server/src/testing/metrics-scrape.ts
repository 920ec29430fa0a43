/** Fetches a Prometheus text page. */
export async function scrapeMetrics(port: number, host = '127.0.0.1'): Promise<string> {
  const res = await fetch(`http://${host}:${port}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return res.text();
}

/**
 * Sum of the samples of `name` whose labels include every label in `labels`
 * (e.g. metricValue(text, 'tally_inference_batches_total', { model: 'm' })).
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map<string, string>();
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      present.set(pair[1]!, pair[2]!);
    }
    if (Object.entries(labels).every(([k, v]) => present.get(k) === v)) sum += Number(match[4]);
  }
  return sum;
}
