import type { EventSource } from '../registry';

/**
 * How an event source is stored: a raw-event table `ev_<source>` (one row per event id: the join
 * key, event time, write time, the write token of the transaction that stored it and a column
 * `f_<field>` per field) and a tile table `et_<source>` (one row per entity, series, tile size and
 * tile start, holding the partial aggregate of the events in that tile). See docs/windows.md.
 */
export const EVENT_ID_COLUMN = 'event_id';
export const WRITE_TOKEN_COLUMN = 'write_token';
export const SERIES_COLUMN = 'series';
export const TILE_MS_COLUMN = 'tile_ms';
export const TILE_START_COLUMN = 'tile_start_ms';
export const TILE_COLUMNS = {
  count: 'event_count',
  sum: 'value_sum',
  min: 'value_min',
  max: 'value_max',
  lastValue: 'last_value',
  lastTime: 'last_time_ms',
} as const;

export function eventTableOf(source: Pick<EventSource, 'name'>): string {
  return `ev_${source.name}`;
}

export function tileTableOf(source: Pick<EventSource, 'name'>): string {
  return `et_${source.name}`;
}

/** Longest event id (characters). */
export const MAX_EVENT_ID_LENGTH = 255;
