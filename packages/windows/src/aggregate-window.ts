import { EMPTY_PARTIAL, mergePartials, partialOfEvent } from './partial-aggregate';
import type { PartialAggregate } from './partial-aggregate';
import { inWindow } from './window-range';

/** One event's time and the aggregated field's value (null for a count-only series or a null field). */
export interface TimedValue {
  readonly eventTimeMs: number;
  readonly value: number | null;
}

/**
 * The reference computation from raw events (what the offline builder does, and what tests compare
 * the tiles against): the merged partial aggregate of the events in the window seen at `atMs`.
 * `countOnly` counts every event; otherwise events with a null value are skipped.
 */
export function aggregateWindow(
  events: readonly TimedValue[],
  atMs: number,
  windowMs: number,
  tileMs: number,
  countOnly: boolean,
): PartialAggregate {
  let partial = EMPTY_PARTIAL;
  for (const event of events) {
    if (!inWindow(event.eventTimeMs, atMs, windowMs, tileMs)) continue;
    if (!countOnly && event.value === null) continue;
    partial = mergePartials(partial, partialOfEvent(event.eventTimeMs, countOnly ? null : event.value));
  }
  return partial;
}
