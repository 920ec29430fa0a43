import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect, sql } from 'kysely';
import type { LogEvent, Transaction } from 'kysely';
import { createPool } from 'mysql2';
import type { FeatureView, Registry, Scalar } from '../registry';
import { retryOnDeadlock } from './deadlock-retry';
import { migrateStore } from './migrations';
import { EVENT_TIME_COLUMN, WRITTEN_AT_COLUMN, featureColumn, keyColumn, tableOf } from './store-schema';
import type { StoreDialect, StoreTarget } from './store-url';
import { planWrite, sortedKeys } from './write-plan';

export { keyText } from './write-plan';

/** An entity key as stored: a number for int join keys, text for string join keys. */
export type EntityKey = number | string;

/** One stored row of a view: its event time and a value per feature, in the view's feature order. */
export interface StoredRow {
  readonly eventTimeMs: number;
  readonly values: readonly Scalar[];
}

/** A validated row to upsert; `values` holds one entry per feature of the view, in order (null = absent). */
export interface RowToWrite {
  readonly key: EntityKey;
  readonly eventTimeMs: number;
  readonly values: readonly Scalar[];
}

export interface WriteOutcome {
  /** Rows that became the stored state of their entity (newer than what was stored). */
  readonly written: number;
  /** Rows ignored because the store held the same or a newer event time. */
  readonly ignoredOlder: number;
}

export type StoreOperation = 'read' | 'write' | 'other';

export interface OnlineStoreOptions {
  /** MySQL connections in the pool. */
  readonly poolSize: number;
  /** How long a new MySQL connection may take, and how long SQLite waits on a locked file (ms). */
  readonly connectTimeoutMs: number;
  /** Called after every SQL statement with its duration (for metrics and tests). */
  readonly onQuery?: (
    operation: StoreOperation,
    dialect: StoreDialect,
    seconds: number,
    failed: boolean,
  ) => void;
  /** Called when a write is run again after the database reported a deadlock. */
  readonly onDeadlockRetry?: (view: string) => void;
}

// Most placeholders one statement may carry (SQLite's limit is 32766, MySQL's 65535).
const MAX_PARAMETERS = 30000;

/** A key as the driver returns it (MySQL string keys come back as bytes). */
function storedKeyText(raw: unknown): string {
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
}

function operationOf(sqlText: string): StoreOperation {
  const verb = /^\s*(\w+)/.exec(sqlText)?.[1]?.toLowerCase();
  return verb === 'select' ? 'read' : verb === 'insert' ? 'write' : 'other';
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The online store through kysely: one table per feature view (`fv_<view>`), the join key as primary
 * key, a column per feature (`f_<feature>`), the event time and the write time. Reads of N entities
 * are one query per view (chunked only past the dialect's parameter limit); writes are newest-wins
 * upserts inside one transaction per call (see `writeRows`).
 */
export class OnlineStore {
  readonly #registry: Registry;
  readonly #options: OnlineStoreOptions;

  private constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
    readonly db: Kysely<any>,
    readonly dialect: StoreDialect,
    registry: Registry,
    options: OnlineStoreOptions,
  ) {
    this.#registry = registry;
    this.#options = options;
  }

  /** Connects and migrates the schema to the registry. */
  static async open(
    target: StoreTarget,
    registry: Registry,
    options: OnlineStoreOptions,
  ): Promise<OnlineStore> {
    const log = (event: LogEvent) =>
      options.onQuery?.(
        operationOf(event.query.sql),
        target.dialect,
        event.queryDurationMillis / 1000,
        event.level === 'error',
      );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
    let db: Kysely<any>;
    if (target.dialect === 'sqlite') {
      fs.mkdirSync(path.dirname(target.file), { recursive: true });
      const database = new Database(target.file);
      database.pragma('journal_mode = WAL');
      database.pragma(`busy_timeout = ${Math.max(1, options.connectTimeoutMs)}`);
      db = new Kysely({ dialect: new SqliteDialect({ database }), log });
    } else {
      const pool = createPool({
        uri: target.url,
        connectionLimit: options.poolSize,
        connectTimeout: options.connectTimeoutMs,
        // Waiting for a pooled connection is bounded by the callers' timeouts; past this many waiters
        // new calls fail at once instead of queueing without bound while the store is unreachable.
        queueLimit: 10 * options.poolSize + 100,
        enableKeepAlive: true,
      });
      db = new Kysely({ dialect: new MysqlDialect({ pool }), log });
    }
    const store = new OnlineStore(db, target.dialect, registry, options);
    try {
      await migrateStore(db, registry, target.dialect);
    } catch (err) {
      await db.destroy().catch(() => undefined);
      throw err;
    }
    return store;
  }

  /** The stored rows of `view` for `keys` (absent keys are absent from the map), keyed by `keyText`. */
  async readRows(view: FeatureView, keys: readonly EntityKey[]): Promise<Map<string, StoredRow>> {
    const rows = new Map<string, StoredRow>();
    if (keys.length === 0) return rows;
    const key = keyColumn(view);
    const columns = [key, EVENT_TIME_COLUMN, ...view.features.map((f) => featureColumn(f.name))];
    for (const part of chunk([...new Set(keys)], MAX_PARAMETERS)) {
      const found = await this.db.selectFrom(tableOf(view)).select(columns).where(key, 'in', part).execute();
      for (const row of found) {
        rows.set(storedKeyText(row[key]), {
          eventTimeMs: Number(row[EVENT_TIME_COLUMN]),
          values: view.features.map((f) => decode(f.type, row[featureColumn(f.name)])),
        });
      }
    }
    return rows;
  }

  /**
   * Upserts `rows` in one transaction: a row replaces the stored one only when its event time is
   * newer, whatever order rows arrive in. The counts are exact even with concurrent writers on
   * other replicas: on MySQL every key of the batch is locked first (in one order shared by every
   * writer, so writers never wait on each other in a cycle), then the stored event times are read
   * and only each entity's winning row is written. A deadlock the database still reports (InnoDB
   * can take gap locks while checking duplicate keys) runs the whole transaction again, a bounded
   * number of times.
   */
  async writeRows(view: FeatureView, rows: readonly RowToWrite[]): Promise<WriteOutcome> {
    if (rows.length === 0) return { written: 0, ignoredOlder: 0 };
    if (this.dialect === 'sqlite') {
      // One connection, transactions serialized by the driver: what is read is what is stored.
      return this.db.transaction().execute((trx) => this.#writeLocked(trx, view, rows));
    }
    return retryOnDeadlock(
      () =>
        this.db
          .transaction()
          // No gap locks on reads; the rows themselves are locked by #lockKeys.
          .setIsolationLevel('read committed')
          .execute(async (trx) => {
            await this.#lockKeys(trx, view, rows);
            return this.#writeLocked(trx, view, rows);
          }),
      { onRetry: () => this.#options.onDeadlockRetry?.(view.name) },
    );
  }

  /**
   * MySQL: makes every key of the batch exist and holds an exclusive lock on it until the
   * transaction ends, in `compareKeys` order. Absent keys get a placeholder row (event time 0, no
   * values) that no reader sees: it is replaced by the batch's row before the commit.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
  async #lockKeys(trx: Transaction<any>, view: FeatureView, rows: readonly RowToWrite[]): Promise<void> {
    const key = keyColumn(view);
    for (const part of chunk(sortedKeys(rows), Math.floor(MAX_PARAMETERS / 3))) {
      await trx
        .insertInto(tableOf(view))
        .values(part.map((k) => ({ [key]: k, [EVENT_TIME_COLUMN]: 0, [WRITTEN_AT_COLUMN]: 0 })))
        // A no-op update still takes the row's exclusive lock (INSERT IGNORE would take a shared one).
        .onDuplicateKeyUpdate({ [key]: sql.ref(key) })
        .execute();
    }
  }

  /** Reads the stored event times, decides each row, writes the winners. */
  async #writeLocked(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
    trx: Transaction<any>,
    view: FeatureView,
    rows: readonly RowToWrite[],
  ): Promise<WriteOutcome> {
    const table = tableOf(view);
    const key = keyColumn(view);
    const featureColumns = view.features.map((f) => featureColumn(f.name));
    const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / (featureColumns.length + 3)));
    const writtenAt = Date.now();
    const stored = new Map<string, number>();
    for (const part of chunk(sortedKeys(rows), MAX_PARAMETERS)) {
      const found = await trx
        .selectFrom(table)
        .select([key, EVENT_TIME_COLUMN])
        .where(key, 'in', part)
        .execute();
      for (const row of found) {
        const eventTime = Number(row[EVENT_TIME_COLUMN]);
        if (eventTime > 0) stored.set(storedKeyText(row[key]), eventTime); // 0 = this write's placeholder
      }
    }
    const plan = planWrite(rows, stored);
    for (const part of chunk(plan.winners, rowsPerStatement)) {
      const values = part.map((row) => {
        const record: Record<string, unknown> = { [key]: row.key };
        view.features.forEach((f, i) => (record[featureColumns[i]!] = encode(row.values[i] ?? null)));
        record[EVENT_TIME_COLUMN] = row.eventTimeMs;
        record[WRITTEN_AT_COLUMN] = writtenAt;
        return record;
      });
      const insert = trx.insertInto(table).values(values);
      // The newest-wins condition stays in the statement itself, as a second guard.
      if (this.dialect === 'sqlite') {
        const set: Record<string, unknown> = {};
        for (const column of [...featureColumns, WRITTEN_AT_COLUMN, EVENT_TIME_COLUMN]) {
          set[column] = sql.ref(`excluded.${column}`);
        }
        await insert
          .onConflict((oc) =>
            oc
              .column(key)
              .doUpdateSet(set)
              .where(sql.ref(`excluded.${EVENT_TIME_COLUMN}`), '>', sql.ref(`${table}.${EVENT_TIME_COLUMN}`)),
          )
          .execute();
      } else {
        // MySQL evaluates assignments left to right: event_time_ms must be updated last, so the
        // conditions before it still see the stored event time.
        const newer = sql`values(${sql.ref(EVENT_TIME_COLUMN)}) > ${sql.ref(EVENT_TIME_COLUMN)}`;
        const set: Record<string, unknown> = {};
        for (const column of [...featureColumns, WRITTEN_AT_COLUMN]) {
          set[column] = sql`if(${newer}, values(${sql.ref(column)}), ${sql.ref(column)})`;
        }
        set[EVENT_TIME_COLUMN] =
          sql`greatest(${sql.ref(EVENT_TIME_COLUMN)}, values(${sql.ref(EVENT_TIME_COLUMN)}))`;
        await insert.onDuplicateKeyUpdate(set).execute();
      }
    }
    return { written: plan.written, ignoredOlder: plan.ignoredOlder };
  }

  /** Whether the store answers a trivial query. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  get registry(): Registry {
    return this.#registry;
  }
}

function encode(value: Scalar): string | number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function decode(type: string, raw: unknown): Scalar {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'bool':
      return Number(raw) !== 0;
    case 'float':
    case 'int':
      return Number(raw);
    default:
      return String(raw);
  }
}
