/**
 * What a tile keeps about the events that fell in it (for one event field and one filter): enough
 * to merge tiles and to compute every aggregation function of the window they make up.
 */
export interface PartialAggregate {
  /** Events counted (for a field: events whose field was not null). */
  readonly count: number;
  /** Sum of the field's values (0 without a field), accumulated in IEEE-754 double. */
  readonly sum: number;
  /** Smallest and largest value; null without a field or without events. */
  readonly min: number | null;
  readonly max: number | null;
  /** Value of the newest event (ties on event time: the larger value); null without a field. */
  readonly lastValue: number | null;
  /** Event time of the newest event counted; 0 when none. */
  readonly lastTimeMs: number;
}

export const EMPTY_PARTIAL: PartialAggregate = {
  count: 0,
  sum: 0,
  min: null,
  max: null,
  lastValue: null,
  lastTimeMs: 0,
};

function least(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function greatest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Whether (time b, value b) is newer than (time a, value a): later time, or same time and a larger value. */
function newer(aTime: number, aValue: number | null, bTime: number, bValue: number | null): boolean {
  if (bTime !== aTime) return bTime > aTime;
  return bValue !== null && (aValue === null || bValue > aValue);
}

/**
 * Two partial aggregates merged into one: counts and sums add, min/max take the extreme, last takes
 * the newest. Commutative and associative except for the rounding of `sum` (see docs/windows.md).
 */
export function mergePartials(a: PartialAggregate, b: PartialAggregate): PartialAggregate {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const bIsNewer = newer(a.lastTimeMs, a.lastValue, b.lastTimeMs, b.lastValue);
  return {
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: least(a.min, b.min),
    max: greatest(a.max, b.max),
    lastValue: bIsNewer ? b.lastValue : a.lastValue,
    lastTimeMs: Math.max(a.lastTimeMs, b.lastTimeMs),
  };
}

/** The partial aggregate of one event: `value` is the field's value, or null for a count-only series. */
export function partialOfEvent(eventTimeMs: number, value: number | null): PartialAggregate {
  return {
    count: 1,
    sum: value ?? 0,
    min: value,
    max: value,
    lastValue: value,
    lastTimeMs: eventTimeMs,
  };
}
