import { EMPTY_PARTIAL, ZERO_WHEN_EMPTY, finalValue, mergePartials, windowAt } from '@tally/windows';
import type { AggregationFeature } from '../registry';
import type { TileRange, TileRow } from '../store';

/** Tiles read for one event source: per entity (key text), per series and tile size. */
export interface SourceTiles {
  readonly tiles: ReadonlyMap<string, ReadonlyMap<string, readonly TileRow[]>>;
  /** True when the source's tiles could not be read (every entity's aggregates are unreadable). */
  readonly failed: boolean;
}

/** The value of one aggregation feature for one entity, before encoding. */
export interface AggregateValue {
  /** undefined: the window holds no event and the function has no value then (the default applies). */
  readonly value: number | undefined;
  /** Newest contributing event's time; 0 for an empty window. */
  readonly eventTimeMs: number;
}

function seriesTileKey(seriesId: string, tileMs: number): string {
  return `${seriesId}\u0000${tileMs}`;
}

/** The tile ranges the given aggregation features need at `nowMs`: one per tile size, with its series. */
export function tileRangesFor(features: readonly AggregationFeature[], nowMs: number): TileRange[] {
  const ranges = new Map<
    number,
    { tileMs: number; seriesIds: string[]; fromStartMs: number; toStartMs: number }
  >();
  for (const f of features) {
    const { firstTileStartMs, lastTileStartMs } = windowAt(nowMs, f.windowMs, f.tileMs);
    let range = ranges.get(f.tileMs);
    if (range === undefined) {
      range = { tileMs: f.tileMs, seriesIds: [], fromStartMs: firstTileStartMs, toStartMs: lastTileStartMs };
      ranges.set(f.tileMs, range);
    }
    range.fromStartMs = Math.min(range.fromStartMs, firstTileStartMs);
    if (!range.seriesIds.includes(f.series.id)) range.seriesIds.push(f.series.id);
  }
  return [...ranges.values()];
}

/** Groups one source's tiles by entity, then by series and tile size. */
export function groupTiles(
  rows: ReadonlyMap<string, readonly TileRow[]>,
): Map<string, Map<string, TileRow[]>> {
  const out = new Map<string, Map<string, TileRow[]>>();
  for (const [key, tiles] of rows) {
    const bySeries = new Map<string, TileRow[]>();
    for (const tile of tiles) {
      const k = seriesTileKey(tile.seriesId, tile.tileMs);
      let list = bySeries.get(k);
      if (list === undefined) bySeries.set(k, (list = []));
      list.push(tile);
    }
    out.set(key, bySeries);
  }
  return out;
}

/**
 * The value of `feature` for the entity whose tiles are `tiles` (grouped by groupTiles), seen at
 * `nowMs`: its window's tiles merged, then the aggregation's final value (docs/windows.md).
 */
export function aggregateValue(
  feature: AggregationFeature,
  tiles: ReadonlyMap<string, readonly TileRow[]> | undefined,
  nowMs: number,
): AggregateValue {
  const range = windowAt(nowMs, feature.windowMs, feature.tileMs);
  let partial = EMPTY_PARTIAL;
  for (const tile of tiles?.get(seriesTileKey(feature.series.id, feature.tileMs)) ?? []) {
    if (tile.tileStartMs >= range.firstTileStartMs && tile.tileStartMs <= range.lastTileStartMs) {
      partial = mergePartials(partial, tile.partial);
    }
  }
  const value = finalValue(feature.function, partial, nowMs);
  if (value === undefined && ZERO_WHEN_EMPTY.includes(feature.function)) return { value: 0, eventTimeMs: 0 };
  return { value, eventTimeMs: partial.lastTimeMs };
}
