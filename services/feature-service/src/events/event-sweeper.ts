import { eventRetentionMs } from '@tally/windows';
import type { Registry } from '../registry';
import type { EventStore } from '../store';

export interface EventSweeperOptions {
  readonly registry: Registry;
  readonly store: EventStore;
  readonly intervalMs: number;
  readonly maxRows: number;
  readonly allowedLatenessMs: number;
  readonly maxFutureMs: number;
  readonly now?: () => number;
  readonly onSwept?: (source: string, deleted: { tiles: number; events: number }) => void;
  readonly onError?: (source: string, err: unknown) => void;
}

/**
 * Deletes expired tiles and raw events of every event source, at most `maxRows` of each per source
 * and run, every `intervalMs` (the first run right after start). Replicas may sweep at once: deletes
 * of expired rows commute, so nothing needs coordinating.
 */
export class EventSweeper {
  readonly #options: EventSweeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: EventSweeperOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#options.intervalMs <= 0 || this.#options.registry.eventSources.size === 0) return;
    const tick = () => {
      this.#running = this.sweepOnce().finally(() => {
        this.#running = undefined;
        if (this.#timer !== undefined) this.#timer = setTimeout(tick, this.#options.intervalMs).unref();
      });
    };
    this.#timer = setTimeout(tick, 0).unref();
  }

  /** One pass over every source; failures are reported, never thrown. */
  async sweepOnce(): Promise<void> {
    const o = this.#options;
    const now = (o.now ?? Date.now)();
    for (const source of o.registry.eventSources.values()) {
      try {
        const retention = eventRetentionMs(
          source.retentionMs,
          source.longestWindowMs,
          o.allowedLatenessMs,
          o.maxFutureMs,
        );
        // Not inside `onSwept?.(…)`: an absent callback would skip evaluating its arguments.
        const deleted = await o.store.sweep(source, now, retention, o.maxRows);
        o.onSwept?.(source.name, deleted);
      } catch (err) {
        o.onError?.(source.name, err);
      }
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
