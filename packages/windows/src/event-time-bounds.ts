/** Event times a source accepts at one instant (inclusive bounds). */
export interface EventTimeBounds {
  readonly oldestMs: number;
  readonly newestMs: number;
}

/**
 * Which event times are accepted at `nowMs`: no more than `maxFutureMs` ahead of the clock (the
 * clock-skew bound) and no older than the source's longest window plus `allowedLatenessMs`. Raw
 * events are kept at least that long (see `eventRetentionMs`), so a replayed event is either still
 * stored (a duplicate) or refused as too old — never counted twice.
 */
export function eventTimeBounds(
  nowMs: number,
  longestWindowMs: number,
  allowedLatenessMs: number,
  maxFutureMs: number,
): EventTimeBounds {
  return { oldestMs: nowMs - longestWindowMs - allowedLatenessMs, newestMs: nowMs + maxFutureMs };
}

/**
 * How long raw events are kept (by event time): the declared retention, but never less than the
 * longest window plus the allowed lateness plus the clock-skew bound, so idempotency holds for
 * every event still accepted.
 */
export function eventRetentionMs(
  declaredRetentionMs: number,
  longestWindowMs: number,
  allowedLatenessMs: number,
  maxFutureMs: number,
): number {
  return Math.max(declaredRetentionMs, longestWindowMs + allowedLatenessMs + maxFutureMs);
}

/**
 * Tiles of size `tileMs` that no window of at most `longestWindowMs` (using that size) can read any
 * more at `nowMs` start before this instant. Kept one extra tile as margin for clock differences
 * between replicas.
 */
export function tileExpiryMs(nowMs: number, longestWindowMs: number, tileMs: number): number {
  return nowMs - longestWindowMs - tileMs;
}
