import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import { mergePartials, partialOfEvent, tileExpiryMs, tileStartOf } from '@tally/windows';
import type { PartialAggregate } from '@tally/windows';
import type { EventSource, Scalar } from '../registry';
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
import { EVENT_TIME_COLUMN, WRITTEN_AT_COLUMN, featureColumn } from './store-schema';
import type { StoreDialect } from './store-url';
import { keyText } from './online-store';
import type { EntityKey } from './online-store';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
type AnyTransaction = Transaction<any>;

/** A validated event: `values` holds one entry per field of the source, in order (null = absent). */
export interface EventToStore {
  readonly eventId: string;
  readonly key: EntityKey;
  readonly eventTimeMs: number;
  readonly values: readonly Scalar[];
}

/** One stored tile of one entity. */
export interface TileRow {
  readonly seriesId: string;
  readonly tileMs: number;
  readonly tileStartMs: number;
  readonly partial: PartialAggregate;
}

/** Tiles of one size to read: of these series, with starts in [fromStartMs, toStartMs]. */
export interface TileRange {
  readonly tileMs: number;
  readonly seriesIds: readonly string[];
  readonly fromStartMs: number;
  readonly toStartMs: number;
}

export interface AppendOutcome {
  readonly written: number;
  readonly duplicates: number;
}

// Most placeholders one statement may carry (SQLite's limit is 32766, MySQL's 65535).
const MAX_PARAMETERS = 30000;
/** How often a transaction that MySQL chose as a deadlock victim is run again. */
const DEADLOCK_RETRIES = 8;

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function text(raw: unknown): string {
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
}

function nullableNumber(raw: unknown): number | null {
  return raw === null || raw === undefined ? null : Number(raw);
}

function isDeadlock(err: unknown): boolean {
  const e = err as { errno?: number; code?: string } | null;
  return e?.errno === 1213 || e?.code === 'ER_LOCK_DEADLOCK';
}

function encode(value: Scalar): string | number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Raw events and tiles of the event sources, on the online store's connection pool. Appends are one
 * transaction each: insert-or-ignore the events carrying a fresh write token, read back which event
 * ids carry it (the new ones; a concurrent writer of the same id waits on the unique key and then
 * ignores it), then add the new events' partial aggregates to their tiles with incremental upserts
 * in a fixed key order. A deadlock is retried; any other failure rolls everything back.
 */
export class EventStore {
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
    readonly db: Kysely<any>,
    readonly dialect: StoreDialect,
    /** Called each time a transaction chosen as a deadlock victim is run again (for a metric). */
    readonly onDeadlockRetry?: (source: string) => void,
  ) {}

  async append(source: EventSource, events: readonly EventToStore[]): Promise<AppendOutcome> {
    if (events.length === 0) return { written: 0, duplicates: 0 };
    // The first occurrence of an id in the batch is the one stored; sorted by id so concurrent
    // writers take the unique-key locks in the same order.
    const firsts = new Map<string, EventToStore>();
    for (const event of events) if (!firsts.has(event.eventId)) firsts.set(event.eventId, event);
    const unique = [...firsts.values()].sort((a, b) => compare(a.eventId, b.eventId));
    for (let attempt = 0; ; attempt += 1) {
      try {
        const written = await this.db.transaction().execute((trx) => this.#appendIn(trx, source, unique));
        return { written, duplicates: events.length - written };
      } catch (err) {
        if (!isDeadlock(err) || attempt >= DEADLOCK_RETRIES) throw err;
        this.onDeadlockRetry?.(source.name);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  async #appendIn(
    trx: AnyTransaction,
    source: EventSource,
    events: readonly EventToStore[],
  ): Promise<number> {
    const table = eventTableOf(source);
    const key = source.entity.joinKey;
    const fieldColumns = source.fields.map((f) => featureColumn(f.name));
    const token = randomUUID();
    const writtenAt = Date.now();
    for (const part of chunk(events, Math.floor(MAX_PARAMETERS / (fieldColumns.length + 5)))) {
      const rows = part.map((event) => {
        const row: Record<string, unknown> = {
          [EVENT_ID_COLUMN]: event.eventId,
          [key]: event.key,
          [EVENT_TIME_COLUMN]: event.eventTimeMs,
          [WRITTEN_AT_COLUMN]: writtenAt,
          [WRITE_TOKEN_COLUMN]: token,
        };
        source.fields.forEach((_, i) => (row[fieldColumns[i]!] = encode(event.values[i] ?? null)));
        return row;
      });
      await trx.insertInto(table).values(rows).orIgnore().execute();
    }
    const mine = new Set<string>();
    for (const part of chunk(events, MAX_PARAMETERS)) {
      let query = trx
        .selectFrom(table)
        .select([EVENT_ID_COLUMN, WRITE_TOKEN_COLUMN])
        .where(
          EVENT_ID_COLUMN,
          'in',
          part.map((e) => e.eventId),
        );
      // A locking read sees the latest committed rows, whatever snapshot the transaction holds.
      if (this.dialect === 'mysql') query = query.forUpdate();
      for (const row of await query.execute()) {
        if (text(row[WRITE_TOKEN_COLUMN]) === token) mine.add(text(row[EVENT_ID_COLUMN]));
      }
    }
    const fresh = events.filter((e) => mine.has(e.eventId));
    await this.#addToTiles(trx, source, fresh);
    return fresh.length;
  }

  async #addToTiles(
    trx: AnyTransaction,
    source: EventSource,
    events: readonly EventToStore[],
  ): Promise<void> {
    const deltas = tileDeltas(source, events);
    if (deltas.length === 0) return;
    const table = tileTableOf(source);
    const key = source.entity.joinKey;
    const C = TILE_COLUMNS;
    for (const part of chunk(deltas, Math.floor(MAX_PARAMETERS / 10))) {
      const rows = part.map((d) => ({
        [key]: d.key,
        [SERIES_COLUMN]: d.seriesId,
        [TILE_MS_COLUMN]: d.tileMs,
        [TILE_START_COLUMN]: d.tileStartMs,
        [C.count]: d.partial.count,
        [C.sum]: d.partial.sum,
        [C.min]: d.partial.min,
        [C.max]: d.partial.max,
        [C.lastValue]: d.partial.lastValue,
        [C.lastTime]: d.partial.lastTimeMs,
      }));
      const insert = trx.insertInto(table).values(rows);
      const ref = (column: string) => sql.ref(column);
      if (this.dialect === 'sqlite') {
        const n = (column: string) => sql.ref(`excluded.${column}`);
        await insert
          .onConflict((oc) =>
            oc.columns([key, SERIES_COLUMN, TILE_MS_COLUMN, TILE_START_COLUMN]).doUpdateSet({
              [C.count]: sql`${ref(C.count)} + ${n(C.count)}`,
              [C.sum]: sql`${ref(C.sum)} + ${n(C.sum)}`,
              [C.min]: sql`coalesce(min(${ref(C.min)}, ${n(C.min)}), ${ref(C.min)}, ${n(C.min)})`,
              [C.max]: sql`coalesce(max(${ref(C.max)}, ${n(C.max)}), ${ref(C.max)}, ${n(C.max)})`,
              [C.lastValue]: sql`case when ${n(C.lastTime)} > ${ref(C.lastTime)} or (${n(C.lastTime)} = ${ref(C.lastTime)} and ${n(C.lastValue)} > ${ref(C.lastValue)}) then ${n(C.lastValue)} else ${ref(C.lastValue)} end`,
              [C.lastTime]: sql`max(${ref(C.lastTime)}, ${n(C.lastTime)})`,
            }),
          )
          .execute();
      } else {
        // MySQL assigns left to right: last_value must be decided before last_time_ms changes.
        const n = (column: string) => sql`values(${sql.ref(column)})`;
        await insert
          .onDuplicateKeyUpdate({
            [C.count]: sql`${ref(C.count)} + ${n(C.count)}`,
            [C.sum]: sql`${ref(C.sum)} + ${n(C.sum)}`,
            [C.min]: sql`coalesce(least(${ref(C.min)}, ${n(C.min)}), ${ref(C.min)}, ${n(C.min)})`,
            [C.max]: sql`coalesce(greatest(${ref(C.max)}, ${n(C.max)}), ${ref(C.max)}, ${n(C.max)})`,
            [C.lastValue]: sql`if(${n(C.lastTime)} > ${ref(C.lastTime)} or (${n(C.lastTime)} = ${ref(C.lastTime)} and ${n(C.lastValue)} > ${ref(C.lastValue)}), ${n(C.lastValue)}, ${ref(C.lastValue)})`,
            [C.lastTime]: sql`greatest(${ref(C.lastTime)}, ${n(C.lastTime)})`,
          })
          .execute();
      }
    }
  }

  /**
   * The tiles of `keys` in `ranges`, in one query (chunked only past the parameter limit), grouped
   * by `keyText`. Cost depends on the number of tiles the windows span, not on the events stored.
   */
  async readTiles(
    source: EventSource,
    keys: readonly EntityKey[],
    ranges: readonly TileRange[],
  ): Promise<Map<string, TileRow[]>> {
    const out = new Map<string, TileRow[]>();
    if (keys.length === 0 || ranges.length === 0) return out;
    const key = source.entity.joinKey;
    const C = TILE_COLUMNS;
    for (const part of chunk([...new Set(keys)], MAX_PARAMETERS)) {
      const found = await this.db
        .selectFrom(tileTableOf(source))
        .select([key, SERIES_COLUMN, TILE_MS_COLUMN, TILE_START_COLUMN, ...Object.values(C)])
        .where(key, 'in', part)
        .where((eb) =>
          eb.or(
            ranges.map((r) =>
              eb.and([
                eb(TILE_MS_COLUMN, '=', r.tileMs),
                eb(SERIES_COLUMN, 'in', [...r.seriesIds]),
                eb(TILE_START_COLUMN, '>=', r.fromStartMs),
                eb(TILE_START_COLUMN, '<=', r.toStartMs),
              ]),
            ),
          ),
        )
        .execute();
      for (const row of found) {
        const k = text(row[key]);
        let list = out.get(k);
        if (list === undefined) out.set(k, (list = []));
        list.push({
          seriesId: text(row[SERIES_COLUMN]),
          tileMs: Number(row[TILE_MS_COLUMN]),
          tileStartMs: Number(row[TILE_START_COLUMN]),
          partial: {
            count: Number(row[C.count]),
            sum: Number(row[C.sum]),
            min: nullableNumber(row[C.min]),
            max: nullableNumber(row[C.max]),
            lastValue: nullableNumber(row[C.lastValue]),
            lastTimeMs: Number(row[C.lastTime]),
          },
        });
      }
    }
    return out;
  }

  /**
   * Deletes at most `maxRows` expired tiles and at most `maxRows` expired raw events of `source`:
   * tiles no window can read at `nowMs` (or of a tile size no window uses any more) and events
   * older than `retentionMs`. Returns how many of each were deleted.
   */
  async sweep(
    source: EventSource,
    nowMs: number,
    retentionMs: number,
    maxRows: number,
  ): Promise<{ tiles: number; events: number }> {
    const longestPerTile = new Map<number, number>();
    for (const a of source.aggregations) {
      longestPerTile.set(a.tileMs, Math.max(longestPerTile.get(a.tileMs) ?? 0, a.windowMs));
    }
    const tiles = await this.#deleteLimited(tileTableOf(source), maxRows, (eb) =>
      eb.or([
        eb(TILE_MS_COLUMN, 'not in', [...longestPerTile.keys()]),
        ...[...longestPerTile].map(([tileMs, windowMs]) =>
          eb.and([
            eb(TILE_MS_COLUMN, '=', tileMs),
            eb(TILE_START_COLUMN, '<', tileExpiryMs(nowMs, windowMs, tileMs)),
          ]),
        ),
      ]),
    );
    const events = await this.#deleteLimited(eventTableOf(source), maxRows, (eb) =>
      eb(EVENT_TIME_COLUMN, '<', nowMs - retentionMs),
    );
    return { tiles, events };
  }

  async #deleteLimited(
    table: string,
    maxRows: number,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time
    where: (eb: any) => any,
  ): Promise<number> {
    if (this.dialect === 'mysql') {
      const result = await this.db.deleteFrom(table).where(where).limit(maxRows).executeTakeFirst();
      return Number(result.numDeletedRows);
    }
    const result = await this.db
      .deleteFrom(table)
      .where(
        sql.ref('rowid'),
        'in',
        this.db.selectFrom(table).select(sql.ref('rowid').as('rowid')).where(where).limit(maxRows),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** The new events' partial aggregates, merged per (entity, series, tile size, tile start), in a fixed order. */
export function tileDeltas(
  source: EventSource,
  events: readonly EventToStore[],
): Array<{
  key: EntityKey;
  seriesId: string;
  tileMs: number;
  tileStartMs: number;
  partial: PartialAggregate;
}> {
  const byTile = new Map<
    string,
    { key: EntityKey; seriesId: string; tileMs: number; tileStartMs: number; partial: PartialAggregate }
  >();
  const index = new Map(source.fields.map((f, i) => [f.name, i]));
  for (const event of events) {
    for (const { series, tileMs } of source.tiling) {
      if (series.filter && event.values[index.get(series.filter.field.name)!] !== series.filter.level)
        continue;
      let value: number | null = null;
      if (series.field) {
        const raw = event.values[index.get(series.field.name)!];
        if (raw === null || raw === undefined) continue;
        value = Number(raw);
      }
      const tileStartMs = tileStartOf(event.eventTimeMs, tileMs);
      const id = `${keyText(event.key)}\u0000${series.id}\u0000${tileMs}\u0000${tileStartMs}`;
      const partial = partialOfEvent(event.eventTimeMs, value);
      const existing = byTile.get(id);
      if (existing === undefined)
        byTile.set(id, { key: event.key, seriesId: series.id, tileMs, tileStartMs, partial });
      else existing.partial = mergePartials(existing.partial, partial);
    }
  }
  return [...byTile.values()].sort(
    (a, b) =>
      compare(a.key, b.key) ||
      compare(a.seriesId, b.seriesId) ||
      a.tileMs - b.tileMs ||
      a.tileStartMs - b.tileStartMs,
  );
}
