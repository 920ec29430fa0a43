import { UsageError } from './usage-error';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A time given on the command line, as ms since the Unix epoch: an ISO 8601 date or date-time
 * (`2026-12-06`, `2026-12-06T10:00:00Z`), a duration before `now` (`30m`, `24h`, `7d`), or `now`.
 */
export function parseTimeFlag(flag: string, text: string, now = Date.now()): number {
  const trimmed = text.trim();
  if (trimmed === 'now') return now;
  const ago = /^(\d+)([smhd])$/.exec(trimmed);
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const ms = Date.parse(trimmed);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(
    `--${flag}: '${text}' is not a time (an ISO date or date-time like 2026-12-06T10:00:00Z, a duration ago like 30m, 24h, 7d, or now)`,
  );
}
