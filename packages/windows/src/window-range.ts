import { tileStartOf } from './tile-size';

/** The tiles a window covers at one instant, and the event times that fall in it. */
export interface WindowRange {
  /** Start of the oldest tile in the window (inclusive). */
  readonly firstTileStartMs: number;
  /** Start of the newest tile, the one holding the instant itself (inclusive). */
  readonly lastTileStartMs: number;
  /** Oldest event time in the window (inclusive): `firstTileStartMs`. */
  readonly fromMs: number;
  /** Newest event time in the window (inclusive): the instant itself. */
  readonly toMs: number;
}

/**
 * The window of length `windowMs` (tile size `tileMs`) as seen at instant `atMs`: the tile holding
 * `atMs` and the `windowMs / tileMs - 1` tiles before it. In event times that is
 * [tileStart(at) − windowMs + tileMs, at]: the head is exact (every event up to the instant counts),
 * the tail moves in steps of one tile, so the window spans between `windowMs − tileMs` and `windowMs`.
 */
export function windowAt(atMs: number, windowMs: number, tileMs: number): WindowRange {
  const lastTileStartMs = tileStartOf(atMs, tileMs);
  const firstTileStartMs = lastTileStartMs - windowMs + tileMs;
  return { firstTileStartMs, lastTileStartMs, fromMs: firstTileStartMs, toMs: atMs };
}

/** Whether an event at `eventTimeMs` counts in the window of `windowMs` seen at `atMs`. */
export function inWindow(eventTimeMs: number, atMs: number, windowMs: number, tileMs: number): boolean {
  const range = windowAt(atMs, windowMs, tileMs);
  return eventTimeMs >= range.fromMs && eventTimeMs <= range.toMs;
}
