import type { PartialAggregate } from './partial-aggregate';

/** The aggregation functions of windowed features. */
export const AGGREGATIONS = ['count', 'sum', 'mean', 'min', 'max', 'last', 'time_since_last'] as const;
export type AggregationFunction = (typeof AGGREGATIONS)[number];

/** Functions that read a numeric field (count and time_since_last count events and need none). */
export const FIELD_AGGREGATIONS: readonly AggregationFunction[] = ['sum', 'mean', 'min', 'max', 'last'];

/**
 * Functions whose value over a window without events is a real value (0): count and sum. The others
 * have no value then and the feature's declared default applies.
 */
export const ZERO_WHEN_EMPTY: readonly AggregationFunction[] = ['count', 'sum'];

/**
 * The final value of `fn` over a window's merged partial aggregate, seen at `atMs`; undefined when
 * the window holds no event (count and sum are then 0). time_since_last is in seconds (fractional),
 * `atMs` minus the newest event's time, never negative.
 */
export function finalValue(
  fn: AggregationFunction,
  partial: PartialAggregate,
  atMs: number,
): number | undefined {
  switch (fn) {
    case 'count':
      return partial.count;
    case 'sum':
      return partial.count === 0 ? 0 : partial.sum;
    case 'mean':
      return partial.count === 0 ? undefined : partial.sum / partial.count;
    case 'min':
      return partial.min ?? undefined;
    case 'max':
      return partial.max ?? undefined;
    case 'last':
      return partial.lastValue ?? undefined;
    case 'time_since_last':
      return partial.count === 0 ? undefined : Math.max(0, atMs - partial.lastTimeMs) / 1000;
  }
}
