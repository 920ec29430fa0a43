/** Number formatting shared by the report's tables. */
export function fixed(x: number | undefined, digits = 2): string {
  if (x === undefined || Number.isNaN(x)) return '—';
  return x.toFixed(digits);
}

/** Thousands separated, no decimals (throughputs). */
export function count(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '—';
  return Math.round(x).toLocaleString('en-US');
}

/** Milliseconds with 3 significant digits (latencies). */
export function ms(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

export function errorsText(errors: Record<string, number>): string {
  const entries = Object.entries(errors).filter(([, n]) => n > 0);
  return entries.length === 0 ? '0' : entries.map(([code, n]) => `${code}: ${n}`).join(', ');
}
