import { sql } from 'kysely';
import type { Migration } from 'kysely';
import type { Registry } from '../registry';
import {
  EVENT_ID_COLUMN,
  SERIES_COLUMN,
  TILE_COLUMNS,
  TILE_MS_COLUMN,
  TILE_START_COLUMN,
  WRITE_TOKEN_COLUMN,
  eventTableOf,
  tileTableOf,
} from './event-schema';
import { EVENT_TIME_COLUMN, WRITTEN_AT_COLUMN, columnType, featureColumn } from './store-schema';
import type { StoreDialect } from './store-url';

/** Series ids hold a field, a filter field and a level: bytes compare exactly on MySQL. */
function seriesType(dialect: StoreDialect): string {
  return dialect === 'mysql' ? 'varbinary(1100)' : 'varchar(1100)';
}

/**
 * Migrations of the event sources: `ev_<source>/0_create` (raw events), `ev_<source>/1_<field>`
 * per field (a field added later becomes one new migration) and `et_<source>/0_create` (tiles).
 */
export function eventSourceMigrations(registry: Registry, dialect: StoreDialect): Record<string, Migration> {
  const migrations: Record<string, Migration> = {};
  for (const source of registry.eventSources.values()) {
    const events = eventTableOf(source);
    const tiles = tileTableOf(source);
    const key = source.entity.joinKey;
    const keyType = sql.raw(columnType(source.entity.keyType, dialect));
    migrations[`${events}/0_create`] = {
      up: async (db) => {
        await db.schema
          .createTable(events)
          .ifNotExists()
          .addColumn(EVENT_ID_COLUMN, sql.raw(columnType('string', dialect)), (c) => c.primaryKey().notNull())
          .addColumn(key, keyType, (c) => c.notNull())
          .addColumn(EVENT_TIME_COLUMN, 'bigint', (c) => c.notNull())
          .addColumn(WRITTEN_AT_COLUMN, 'bigint', (c) => c.notNull())
          .addColumn(WRITE_TOKEN_COLUMN, 'varchar(36)', (c) => c.notNull())
          .execute();
        // Training data reads an entity's events by time; the expiry sweep reads by time alone.
        await db.schema
          .createIndex(`${events}_key_time`)
          .ifNotExists()
          .on(events)
          .columns([key, EVENT_TIME_COLUMN])
          .execute();
        await db.schema
          .createIndex(`${events}_time`)
          .ifNotExists()
          .on(events)
          .column(EVENT_TIME_COLUMN)
          .execute();
      },
    };
    for (const field of source.fields) {
      migrations[`${events}/1_${field.name}`] = {
        up: async (db) => {
          await db.schema
            .alterTable(events)
            .addColumn(featureColumn(field.name), sql.raw(columnType(field.type, dialect)))
            .execute();
        },
      };
    }
    migrations[`${tiles}/0_create`] = {
      up: async (db) => {
        await db.schema
          .createTable(tiles)
          .ifNotExists()
          .addColumn(key, keyType, (c) => c.notNull())
          .addColumn(SERIES_COLUMN, sql.raw(seriesType(dialect)), (c) => c.notNull())
          .addColumn(TILE_MS_COLUMN, 'bigint', (c) => c.notNull())
          .addColumn(TILE_START_COLUMN, 'bigint', (c) => c.notNull())
          .addColumn(TILE_COLUMNS.count, 'bigint', (c) => c.notNull())
          .addColumn(TILE_COLUMNS.sum, 'double precision', (c) => c.notNull())
          .addColumn(TILE_COLUMNS.min, 'double precision')
          .addColumn(TILE_COLUMNS.max, 'double precision')
          .addColumn(TILE_COLUMNS.lastValue, 'double precision')
          .addColumn(TILE_COLUMNS.lastTime, 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${tiles}_pk`, [
            key,
            SERIES_COLUMN,
            TILE_MS_COLUMN,
            TILE_START_COLUMN,
          ] as never)
          .execute();
        await db.schema
          .createIndex(`${tiles}_start`)
          .ifNotExists()
          .on(tiles)
          .column(TILE_START_COLUMN)
          .execute();
      },
    };
  }
  return migrations;
}
