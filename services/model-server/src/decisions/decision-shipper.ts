import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@tally/grpc-kit';
import type { DecisionLogMetrics } from './decision-log-metrics';
import type { DecisionRecord } from './decision-record';
import type { DecisionStore } from './decision-store';
import type { DecisionWal } from './decision-wal';
import { errorMessage } from './error-message';

export interface DecisionShipperOptions {
  readonly wal: DecisionWal;
  readonly store: DecisionStore;
  readonly logger: Logger;
  readonly metrics: DecisionLogMetrics | undefined;
  /** Pause between shipping rounds while records keep arriving (larger batches, fewer statements). */
  readonly intervalMs: number;
  /** Most records in one INSERT. */
  readonly batchRecords: number;
}

const MAX_BACKOFF_MS = 5000;

/**
 * Ships the write-ahead file to the database in order: reads the durable records after its position,
 * inserts them in batches (idempotent by request id and role), then moves its position and deletes
 * sealed segments it has finished. Starting from the oldest segment on disk, it replays whatever a
 * previous run left. When the database fails it keeps the records on disk and retries with backoff.
 */
export class DecisionShipper {
  readonly #o: DecisionShipperOptions;
  #position = { seq: 0, offset: 0 };
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #failing = false;

  constructor(options: DecisionShipperOptions) {
    this.#o = options;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /** Ships what is durable now, once; returns false when the database failed. */
  async shipOnce(): Promise<boolean> {
    for (;;) {
      const read = await this.#o.wal.read(this.#position.seq, this.#position.offset);
      if (read === undefined) return true;
      if (read.payloads.length === 0 && !read.finished) return true;
      const records = read.payloads.map((p) => JSON.parse(p.toString('utf8')) as DecisionRecord);
      try {
        for (let i = 0; i < records.length; i += this.#o.batchRecords) {
          await this.#o.store.insert(records.slice(i, i + this.#o.batchRecords));
        }
      } catch (error) {
        this.#o.metrics?.shipFailures.inc();
        if (!this.#failing) {
          this.#o.logger.warn('decision database unavailable: records stay on disk and are retried', {
            reason: errorMessage(error),
            unshipped_bytes: this.#o.wal.unshippedBytes(),
          });
        }
        this.#failing = true;
        return false;
      }
      if (this.#failing) {
        this.#o.logger.info('decision database reachable again: draining the records kept on disk', {
          unshipped_bytes: this.#o.wal.unshippedBytes(),
        });
        this.#failing = false;
      }
      this.#o.metrics?.shipped.inc(records.length);
      if (read.tail !== undefined) {
        this.#o.metrics?.tornTails.inc();
        this.#o.logger.warn('decision log segment ends in a torn write (never acknowledged): ignored', {
          segment: read.seq,
          tail: read.tail,
        });
      }
      if (read.finished) {
        this.#position = { seq: read.seq + 1, offset: 0 };
        this.#o.wal.markShipped(read.seq + 1, 0);
        await this.#o.wal.release(read.seq);
      } else {
        this.#position = { seq: read.seq, offset: read.end };
        this.#o.wal.markShipped(read.seq, read.end);
      }
    }
  }

  async #loop(): Promise<void> {
    let backoffMs = this.#o.intervalMs;
    while (!this.#stopping) {
      let ok: boolean;
      try {
        ok = await this.shipOnce();
      } catch (error) {
        // Reading the local file failed: keep trying, it is the only copy.
        this.#o.logger.error('cannot read the decision log to ship it', { reason: errorMessage(error) });
        ok = false;
      }
      backoffMs = ok ? this.#o.intervalMs : Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Stops the loop, then tries to ship what is left for at most `graceMs` (the rest is replayed next start). */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (await this.shipOnce().catch(() => false)) return;
      await sleep(200);
    }
  }
}
