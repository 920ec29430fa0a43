import type { Logger } from '@tally/grpc-kit';
import type { Registry } from 'prom-client';
import { describeDecisionDatabase } from './decision-database-url';
import type { DecisionDatabaseTarget } from './decision-database-url';
import { DecisionLogMetrics } from './decision-log-metrics';
import type { DecisionRecord } from './decision-record';
import { DecisionShipper } from './decision-shipper';
import { DecisionStore } from './decision-store';
import { DecisionWal } from './decision-wal';

/** Share of DECISION_LOG_MAX_BYTES at which a warning is logged (and cleared below 0.7). */
export const NEAR_BOUND_FRACTION = 0.8;

export interface DecisionLogOptions {
  readonly dir: string;
  readonly database: DecisionDatabaseTarget;
  readonly segmentBytes: number;
  readonly maxBytes: number;
  readonly shipIntervalMs: number;
  readonly batchRecords: number;
  readonly logger: Logger;
  readonly registry?: Registry;
}

/**
 * The decision log: every answered decision is appended to the local write-ahead file and made
 * durable (group commit) before its answer is sent, then shipped to the database in batches, where
 * it can be read back by request id or by entity and time range. See docs/decision-log.md.
 */
export class DecisionLog {
  readonly #o: DecisionLogOptions;
  readonly #wal: DecisionWal;
  readonly #store: DecisionStore;
  readonly #shipper: DecisionShipper;
  readonly #metrics: DecisionLogMetrics | undefined;
  #nearBound = false;

  constructor(options: DecisionLogOptions) {
    this.#o = options;
    this.#metrics = options.registry ? new DecisionLogMetrics(options.registry) : undefined;
    this.#metrics?.maxBytes.set(options.maxBytes);
    this.#wal = DecisionWal.open({
      dir: options.dir,
      segmentBytes: options.segmentBytes,
      maxBytes: options.maxBytes,
      onGroupCommit: (records, seconds) => {
        this.#metrics?.groupCommitSeconds.observe(seconds);
        this.#metrics?.groupRecords.observe(records);
      },
    });
    this.#store = new DecisionStore(options.database);
    this.#shipper = new DecisionShipper({
      wal: this.#wal,
      store: this.#store,
      logger: options.logger,
      metrics: this.#metrics,
      intervalMs: options.shipIntervalMs,
      batchRecords: options.batchRecords,
    });
  }

  /** Starts shipping (first what a previous run left on disk). */
  start(): void {
    const left = this.#wal.segmentSeqs();
    this.#o.logger.info('decision log open', {
      dir: this.#o.dir,
      database: describeDecisionDatabase(this.#o.database),
      segments_to_replay: left.length,
      unshipped_bytes: this.#wal.unshippedBytes(),
    });
    this.#shipper.start();
  }

  /**
   * Makes the records durable on this machine; resolves once they are. Rejects with UNAVAILABLE
   * naming the reason (disk full or unwritable, the bound reached): the decision must not be answered.
   */
  async record(records: readonly DecisionRecord[]): Promise<void> {
    try {
      await Promise.all(records.map((r) => this.#wal.append(Buffer.from(JSON.stringify(r), 'utf8'))));
      this.#metrics?.appended.inc({ outcome: 'durable' }, records.length);
    } catch (error) {
      this.#metrics?.appended.inc({ outcome: 'failed' }, records.length);
      throw error;
    } finally {
      this.#checkBound();
    }
  }

  #checkBound(): void {
    const unshipped = this.#wal.unshippedBytes();
    this.#metrics?.unshippedBytes.set(unshipped);
    const fraction = unshipped / this.#o.maxBytes;
    if (!this.#nearBound && fraction >= NEAR_BOUND_FRACTION) {
      this.#nearBound = true;
      this.#o.logger.warn(
        'decision log nears its bound: records are not reaching the database; at the bound Score answers UNAVAILABLE',
        { unshipped_bytes: unshipped, max_bytes: this.#o.maxBytes, dir: this.#o.dir },
      );
    } else if (this.#nearBound && fraction < 0.7) {
      this.#nearBound = false;
      this.#o.logger.info('decision log back under its bound', { unshipped_bytes: unshipped });
    }
  }

  get store(): DecisionStore {
    return this.#store;
  }

  /** Bytes on local disk not yet in the database. */
  unshippedBytes(): number {
    return this.#wal.unshippedBytes();
  }

  /** Ships what is durable now (tests, and the drain at shutdown). */
  shipNow(): Promise<boolean> {
    return this.#shipper.shipOnce();
  }

  /** Closes the file, ships what is left within `graceMs` (the rest is replayed next start). */
  async close(graceMs: number): Promise<void> {
    await this.#wal.close();
    await this.#shipper.stop(graceMs);
    this.#checkBound();
    await this.#store.close();
  }
}
