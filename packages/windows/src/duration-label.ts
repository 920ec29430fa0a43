import { DAY_MS, HOUR_MS, MINUTE_MS } from './tile-size';

/** A window length as a feature-name suffix: the largest unit that divides it (90m, 1h, 36h, 7d). */
export function durationLabel(ms: number): string {
  if (ms > 0 && ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms > 0 && ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  if (ms > 0 && ms % MINUTE_MS === 0) return `${ms / MINUTE_MS}m`;
  if (ms > 0 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
