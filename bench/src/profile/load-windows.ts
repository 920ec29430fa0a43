import type { TimeWindow } from './cpu-profile-summary';

/**
 * When each load ran, on the monotonic clock V8 stamps profile samples with (µs, as
 * process.hrtime): the profile summaries count only samples taken while a load ran, leaving out
 * start-up, store loading and shutdown.
 */
const windows: TimeWindow[] = [];

export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function recordLoadWindow(window: TimeWindow): void {
  windows.push(window);
}

/** The windows recorded since the last call. */
export function takeLoadWindows(): TimeWindow[] {
  return windows.splice(0, windows.length);
}
