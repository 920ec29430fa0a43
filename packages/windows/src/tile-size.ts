/** Milliseconds per unit, for windows and tiles. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The tile sizes Tally uses, smallest first. Tiles start at whole multiples of their size since the Unix epoch (UTC). */
export const TILE_SIZES_MS: readonly number[] = [
  MINUTE_MS,
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  8 * HOUR_MS,
  DAY_MS,
];

/** Most tiles one window spans: bounds what a read of one entity costs, whatever its event count. */
export const MAX_TILES_PER_WINDOW = 96;

/**
 * The tile size of a window of `windowMs`: the smallest size in TILE_SIZES_MS that divides the
 * window and gives at most MAX_TILES_PER_WINDOW tiles. E.g. 1h → 1 min (60 tiles), 24h → 15 min
 * (96), 7d → 2h (84), 30d → 8h (90), 90d → 1d (90). Undefined when no size fits (the window is
 * then refused by the registry): a window must be a whole number of minutes, and at most 96 days.
 */
export function tileSizeFor(windowMs: number): number | undefined {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) return undefined;
  return TILE_SIZES_MS.find((size) => windowMs % size === 0 && windowMs / size <= MAX_TILES_PER_WINDOW);
}

/** Start of the tile of size `tileMs` that holds instant `timeMs` (floor to a multiple of the size). */
export function tileStartOf(timeMs: number, tileMs: number): number {
  return Math.floor(timeMs / tileMs) * tileMs;
}
