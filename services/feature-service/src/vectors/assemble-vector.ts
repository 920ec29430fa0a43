import type { FeatureSet, Scalar, SetFeature, TypedField } from '../registry';
import { keyText } from '../store';
import type { StoredRow } from '../store';
import { aggregateValue } from './aggregate-values';
import type { SourceTiles } from './aggregate-values';
import type { ParsedEntity } from './vector-request';

/** FeatureStatus numbers of the contract (tally.feature.v1.FeatureStatus). */
export const STATUS = {
  PRESENT: 1,
  MISSING_DEFAULTED: 2,
  STALE_DEFAULTED: 3,
  STALE_KEPT: 4,
  STORE_ERROR_DEFAULTED: 5,
  DERIVED_FROM_DEFAULT: 6,
} as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

/** Rows read for one view: by key text (null = no row); keys in `failed` could not be read. */
export interface ViewRows {
  readonly rows: ReadonlyMap<string, StoredRow | null>;
  readonly failed: ReadonlySet<string>;
}

export interface AssembledVector {
  readonly values: number[];
  readonly statuses: StatusCode[];
  readonly eventTimes: number[];
}

interface Resolved {
  value: Scalar;
  status: StatusCode;
  eventTimeMs: number;
}

function asNumber(value: Scalar): number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
}

function resolveStored(
  feature: Extract<SetFeature, { source: 'stored' }>,
  entity: ParsedEntity,
  reads: ReadonlyMap<string, ViewRows>,
  nowMs: number,
): Resolved {
  const { view, feature: definition } = feature;
  const fallback = (status: StatusCode): Resolved => ({ value: definition.default, status, eventTimeMs: 0 });
  const key = keyText(entity.keys.get(view.entity.joinKey)!);
  const read = reads.get(view.name)!;
  if (read.failed.has(key)) return fallback(STATUS.STORE_ERROR_DEFAULTED);
  const row = read.rows.get(key);
  if (row === null || row === undefined) return fallback(STATUS.MISSING_DEFAULTED);
  const value = row.values[view.features.indexOf(definition)] ?? null;
  if (value === null) return fallback(STATUS.MISSING_DEFAULTED);
  if (definition.type === 'categorical' && !definition.levels.includes(String(value))) {
    return fallback(STATUS.MISSING_DEFAULTED); // a level the registry no longer declares
  }
  if (view.maxAgeMs > 0 && nowMs - row.eventTimeMs > view.maxAgeMs) {
    return view.stalePolicy === 'keep'
      ? { value, status: STATUS.STALE_KEPT, eventTimeMs: row.eventTimeMs }
      : fallback(STATUS.STALE_DEFAULTED);
  }
  return { value, status: STATUS.PRESENT, eventTimeMs: row.eventTimeMs };
}

function resolveAggregation(
  feature: Extract<SetFeature, { source: 'aggregation' }>,
  entity: ParsedEntity,
  aggregates: ReadonlyMap<string, SourceTiles>,
  nowMs: number,
): Resolved {
  const { eventSource, aggregation } = feature;
  const read = aggregates.get(eventSource.name);
  if (read === undefined || read.failed) {
    return { value: aggregation.default, status: STATUS.STORE_ERROR_DEFAULTED, eventTimeMs: 0 };
  }
  const key = keyText(entity.keys.get(eventSource.entity.joinKey)!);
  const { value, eventTimeMs } = aggregateValue(aggregation, read.tiles.get(key), nowMs);
  if (value === undefined)
    return { value: aggregation.default, status: STATUS.MISSING_DEFAULTED, eventTimeMs: 0 };
  return { value, status: STATUS.PRESENT, eventTimeMs };
}

/**
 * One entity's complete vector in the set's column order. Stored features come from `reads`
 * (staleness judged against `nowMs`), request features from the entity's context, on-demand features
 * from their expression over the other values, aggregation features from their source's tiles in
 * `aggregates` (windows seen at `nowMs`). Every column gets a value, a status and an event time.
 */
export function assembleVector(
  set: FeatureSet,
  entity: ParsedEntity,
  reads: ReadonlyMap<string, ViewRows>,
  nowMs: number,
  aggregates: ReadonlyMap<string, SourceTiles> = new Map(),
): AssembledVector {
  const resolved = new Map<string, Resolved>();
  // Context fields first: on-demand expressions may read fields that are not vector columns.
  const contextValues = new Map<string, Resolved>();
  for (const field of set.context) {
    const value = entity.context.get(field.name);
    contextValues.set(
      field.name,
      value === undefined
        ? { value: field.default ?? null, status: STATUS.MISSING_DEFAULTED, eventTimeMs: 0 }
        : { value, status: STATUS.PRESENT, eventTimeMs: 0 },
    );
  }
  for (const feature of set.features) {
    if (feature.source === 'stored') resolved.set(feature.name, resolveStored(feature, entity, reads, nowMs));
    else if (feature.source === 'request') resolved.set(feature.name, contextValues.get(feature.name)!);
    else if (feature.source === 'aggregation')
      resolved.set(feature.name, resolveAggregation(feature, entity, aggregates, nowMs));
  }
  for (const feature of set.features) {
    if (feature.source !== 'on_demand') continue;
    let allPresent = true;
    const result = feature.evaluate((identifier) => {
      const input = resolved.get(identifier) ?? contextValues.get(identifier)!;
      if (input.status !== STATUS.PRESENT) allPresent = false;
      return asNumber(input.value);
    });
    resolved.set(
      feature.name,
      Number.isFinite(Math.fround(result))
        ? { value: result, status: allPresent ? STATUS.PRESENT : STATUS.DERIVED_FROM_DEFAULT, eventTimeMs: 0 }
        : { value: feature.onDemand.default, status: STATUS.DERIVED_FROM_DEFAULT, eventTimeMs: 0 },
    );
  }

  const values: number[] = [];
  const statuses: StatusCode[] = [];
  const eventTimes: number[] = [];
  for (const feature of set.features) {
    const { value, status, eventTimeMs } = resolved.get(feature.name)!;
    const typed: TypedField | undefined =
      feature.source === 'stored'
        ? feature.feature
        : feature.source === 'request'
          ? feature.field
          : undefined;
    if (typed?.type === 'categorical') {
      if (typed.encoding === 'one_hot') {
        for (const level of typed.levels) {
          values.push(level === value ? 1 : 0);
          statuses.push(status);
          eventTimes.push(eventTimeMs);
        }
        continue;
      }
      values.push(typed.levels.indexOf(String(value)));
    } else {
      values.push(asNumber(value));
    }
    statuses.push(status);
    eventTimes.push(eventTimeMs);
  }
  return { values, statuses, eventTimes };
}
