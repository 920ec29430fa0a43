/**
 * The open-loop schedule: call i is due at `startMs + i × 1000 / ratePerSec`, whatever happened to
 * the calls before it. Latency is measured from that scheduled time, so a server that stalls is
 * charged for the queue it causes (no coordinated omission).
 */
export class OpenLoopSchedule {
  readonly intervalMs: number;

  constructor(
    readonly startMs: number,
    readonly ratePerSec: number,
    readonly endMs: number,
  ) {
    if (!(ratePerSec > 0) || !Number.isFinite(ratePerSec)) {
      throw new RangeError(
        `open loop: rate must be a positive number of calls per second, got ${ratePerSec}`,
      );
    }
    if (!(endMs >= startMs)) throw new RangeError('open loop: end must not be before start');
    this.intervalMs = 1000 / ratePerSec;
  }

  /** When call `index` (0-based) is due. */
  scheduledAt(index: number): number {
    return this.startMs + index * this.intervalMs;
  }

  /** Total number of calls the schedule holds (those due strictly before the end). */
  get totalCalls(): number {
    return Math.ceil((this.endMs - this.startMs) / this.intervalMs - 1e-9);
  }

  /** How many calls are due by `nowMs` (a count, so index < dueBy(now) is due), capped at the total. */
  dueBy(nowMs: number): number {
    if (nowMs < this.startMs) return 0;
    return Math.min(this.totalCalls, Math.floor((nowMs - this.startMs) / this.intervalMs) + 1);
  }
}
