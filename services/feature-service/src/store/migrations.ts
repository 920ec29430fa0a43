import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Registry } from '../registry';
import {
  EVENT_TIME_COLUMN,
  WRITTEN_AT_COLUMN,
  columnType,
  featureColumn,
  keyColumn,
  tableOf,
} from './store-schema';
import { eventSourceMigrations } from './event-migrations';
import type { StoreDialect } from './store-url';

const MIGRATION_TABLE = 'tally_migration';
const MIGRATION_LOCK_TABLE = 'tally_migration_lock';

/**
 * Migrations derived from the registry: one that creates each view's table, then one per feature
 * that adds its column. Names sort per view (`fv_x/0_create` < `fv_x/1_feature`), so a feature added
 * to a view later becomes one new migration. Columns of features removed from the registry stay
 * (nullable, unread); their already-run migrations are kept as no-ops so the history stays valid.
 * Event sources add theirs the same way (see event-migrations.ts).
 */
export function registryMigrations(
  registry: Registry,
  dialect: StoreDialect,
  executed: readonly string[],
): Record<string, Migration> {
  const migrations: Record<string, Migration> = {};
  for (const view of registry.views.values()) {
    const table = tableOf(view);
    migrations[`${table}/0_create`] = {
      up: async (db) => {
        await db.schema
          .createTable(table)
          .ifNotExists()
          .addColumn(keyColumn(view), sql.raw(columnType(view.entity.keyType, dialect)), (c) =>
            c.primaryKey().notNull(),
          )
          .addColumn(EVENT_TIME_COLUMN, 'bigint', (c) => c.notNull())
          .addColumn(WRITTEN_AT_COLUMN, 'bigint', (c) => c.notNull())
          .execute();
      },
    };
    for (const feature of view.features) {
      migrations[`${table}/1_${feature.name}`] = {
        up: async (db) => {
          await db.schema
            .alterTable(table)
            .addColumn(featureColumn(feature.name), sql.raw(columnType(feature.type, dialect)))
            .execute();
        },
      };
    }
  }
  Object.assign(migrations, eventSourceMigrations(registry, dialect));
  for (const name of executed) migrations[name] ??= { up: async () => undefined };
  return migrations;
}

/** Brings the store's schema up to the registry. Throws naming the migration that failed. */
export async function migrateStore(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
  db: Kysely<any>,
  registry: Registry,
  dialect: StoreDialect,
): Promise<string[]> {
  // Read outside the migrator: it holds the (single, for SQLite) connection while it asks the provider.
  let executed: string[] = [];
  try {
    const rows = await db.selectFrom(MIGRATION_TABLE).select('name').execute();
    executed = rows.map((r) => String(r.name));
  } catch {
    // first run: the migration table does not exist yet
  }
  const provider: MigrationProvider = {
    getMigrations: () => Promise.resolve(registryMigrations(registry, dialect, executed)),
  };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`store migration ${failed ? `'${failed}' ` : ''}failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
