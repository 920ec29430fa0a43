export {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  MAX_TILES_PER_WINDOW,
  TILE_SIZES_MS,
  tileSizeFor,
  tileStartOf,
} from './tile-size';
export { windowAt, inWindow } from './window-range';
export type { WindowRange } from './window-range';
export { EMPTY_PARTIAL, mergePartials, partialOfEvent } from './partial-aggregate';
export type { PartialAggregate } from './partial-aggregate';
export { AGGREGATIONS, FIELD_AGGREGATIONS, ZERO_WHEN_EMPTY, finalValue } from './aggregation';
export type { AggregationFunction } from './aggregation';
export { eventTimeBounds, eventRetentionMs, tileExpiryMs } from './event-time-bounds';
export type { EventTimeBounds } from './event-time-bounds';
export { durationLabel } from './duration-label';
export { aggregateWindow } from './aggregate-window';
export type { TimedValue } from './aggregate-window';
