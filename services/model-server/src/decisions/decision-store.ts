import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, MysqlDialect, SqliteDialect, sql } from 'kysely';
import type { Migration } from 'kysely';
import { createPool } from 'mysql2';
import type { DecisionDatabaseTarget } from './decision-database-url';
import { entityKeyText } from './decision-record';
import type { DecisionRecord } from './decision-record';
import { errorMessage } from './error-message';

/** The table of shipped decisions (docs/decision-log.md). */
export const DECISION_TABLE = 'tally_decision';

interface DecisionRow {
  request_id: string;
  role: string;
  decided_at_ms: number | string;
  entity_key: string;
  model: string;
  model_version: string;
  score: number;
  record: string;
}

interface DecisionSchema {
  tally_decision: DecisionRow;
}

function migrations(dialect: DecisionDatabaseTarget['dialect']): Record<string, Migration> {
  const recordType = dialect === 'mysql' ? 'mediumtext' : 'text';
  return {
    '0001_create_tally_decision': {
      up: async (db) => {
        await db.schema
          .createTable(DECISION_TABLE)
          .ifNotExists()
          .addColumn('request_id', 'varchar(256)', (c) => c.notNull())
          .addColumn('role', 'varchar(16)', (c) => c.notNull())
          .addColumn('decided_at_ms', 'bigint', (c) => c.notNull())
          .addColumn('entity_key', 'varchar(512)', (c) => c.notNull())
          .addColumn('model', 'varchar(128)', (c) => c.notNull())
          .addColumn('model_version', 'varchar(32)', (c) => c.notNull())
          .addColumn('score', 'double precision', (c) => c.notNull())
          .addColumn('record', sql.raw(recordType), (c) => c.notNull())
          .addPrimaryKeyConstraint('tally_decision_pk', ['request_id', 'role'])
          .execute();
        await db.schema
          .createIndex('tally_decision_by_entity')
          .on(DECISION_TABLE)
          .columns(['entity_key', 'decided_at_ms'])
          .execute();
        await db.schema
          .createIndex('tally_decision_by_model')
          .on(DECISION_TABLE)
          .columns(['model', 'model_version', 'decided_at_ms'])
          .execute();
      },
    },
  };
}

function recordOf(row: Pick<DecisionRow, 'record'>): DecisionRecord {
  return JSON.parse(row.record) as DecisionRecord;
}

/**
 * Shipped decisions in MySQL or SQLite through kysely: one row per (request id, role), the full
 * record as JSON beside the columns decisions are looked up by. Inserting a record already stored
 * does nothing, so replaying the write-ahead file after a crash never duplicates a decision.
 */
export class DecisionStore {
  readonly #db: Kysely<DecisionSchema>;
  readonly #dialect: DecisionDatabaseTarget['dialect'];
  #migrated: Promise<void> | undefined;

  constructor(target: DecisionDatabaseTarget, connectTimeoutMs = 5000) {
    this.#dialect = target.dialect;
    if (target.dialect === 'sqlite') {
      fs.mkdirSync(path.dirname(target.file), { recursive: true });
      const database = new Database(target.file);
      database.pragma('journal_mode = WAL');
      database.pragma(`busy_timeout = ${connectTimeoutMs}`);
      this.#db = new Kysely({ dialect: new SqliteDialect({ database }) });
    } else {
      const pool = createPool({
        uri: target.url,
        connectionLimit: 4,
        connectTimeout: connectTimeoutMs,
        queueLimit: 100,
        enableKeepAlive: true,
      });
      this.#db = new Kysely({ dialect: new MysqlDialect({ pool }) });
    }
  }

  /** Creates the table on first use; a failure is retried by the next call. */
  ready(): Promise<void> {
    this.#migrated ??= this.#migrate().catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    return this.#migrated;
  }

  async #migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.#db,
      provider: { getMigrations: () => Promise.resolve(migrations(this.#dialect)) },
      migrationTableName: 'tally_decision_migration',
      migrationLockTableName: 'tally_decision_migration_lock',
    });
    const { error } = await migrator.migrateToLatest();
    if (error !== undefined) {
      throw new Error(`decision table migration failed: ${errorMessage(error)}`);
    }
  }

  /** Stores records in one statement; rows already stored (same request id and role) are left as they are. */
  async insert(records: readonly DecisionRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.ready();
    const rows: DecisionRow[] = records.map((r) => ({
      request_id: r.requestId,
      role: r.role,
      decided_at_ms: r.decidedAtMs,
      entity_key: entityKeyText(r.entityKeys),
      model: r.model,
      model_version: r.version,
      score: r.score,
      record: JSON.stringify(r),
    }));
    const insert = this.#db.insertInto(DECISION_TABLE).values(rows);
    if (this.#dialect === 'mysql') {
      await insert.onDuplicateKeyUpdate({ request_id: sql.ref('request_id') }).execute();
    } else {
      await insert.onConflict((oc) => oc.columns(['request_id', 'role']).doNothing()).execute();
    }
  }

  /** Every record of one request id (the served decision first, then challengers). */
  async get(requestId: string): Promise<DecisionRecord[]> {
    await this.ready();
    const rows = await this.#db
      .selectFrom(DECISION_TABLE)
      .select(['record', 'role'])
      .where('request_id', '=', requestId)
      .execute();
    return rows.sort((a, b) => (a.role === 'served' ? -1 : b.role === 'served' ? 1 : 0)).map(recordOf);
  }

  /** Decisions for one entity made in [sinceMs, untilMs), oldest first, at most `limit`. */
  async list(entityKey: string, sinceMs: number, untilMs: number, limit: number): Promise<DecisionRecord[]> {
    await this.ready();
    const rows = await this.#db
      .selectFrom(DECISION_TABLE)
      .select('record')
      .where('entity_key', '=', entityKey)
      .where('decided_at_ms', '>=', sinceMs)
      .where('decided_at_ms', '<', untilMs)
      .orderBy('decided_at_ms')
      .orderBy('request_id')
      .limit(limit)
      .execute();
    return rows.map(recordOf);
  }

  /** Served scores of one model version in [sinceMs, untilMs), at most `limit` (for PSI). */
  async scores(
    modelName: string,
    version: string,
    sinceMs: number,
    untilMs: number,
    limit: number,
  ): Promise<number[]> {
    await this.ready();
    const rows = await this.#db
      .selectFrom(DECISION_TABLE)
      .select('score')
      .where('model', '=', modelName)
      .where('model_version', '=', version)
      .where('role', '=', 'served')
      .where('decided_at_ms', '>=', sinceMs)
      .where('decided_at_ms', '<', untilMs)
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.score));
  }

  /** Number of stored records (tests and the drain check). */
  async count(): Promise<number> {
    await this.ready();
    const row = await this.#db
      .selectFrom(DECISION_TABLE)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
