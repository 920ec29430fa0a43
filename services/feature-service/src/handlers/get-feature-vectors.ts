import type { feature } from '@tally/contracts';
import { DeadlineExceededError, UnavailableError, remainingMs } from '@tally/grpc-kit';
import type { CallContext } from '@tally/grpc-kit';
import { withSpan } from '@tally/telemetry';
import { StoreTimeoutError } from '../cache';
import type { FeatureView } from '../registry';
import type { EntityKey, StoredRow } from '../store';
import { STATUS, assembleVector, groupTiles, parseVectorRequest, tileRangesFor } from '../vectors';
import type { SourceTiles, ViewRows } from '../vectors';
import { findFeatureSet } from './describe-feature-sets';
import { storeName } from './service-deps';
import type { ServiceDeps } from './service-deps';

const STATUS_LABELS = Object.fromEntries(
  Object.entries(STATUS).map(([name, code]) => [code, name.toLowerCase()]),
);

/** A store read bounded by `ms`: resolves with the rows or rejects (the read is never awaited longer). */
function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** How long this call may wait for the store: STORE_TIMEOUT_MS, cut to leave time to answer before the deadline. */
function storeBudgetMs(ctx: CallContext, storeTimeoutMs: number): number {
  const remaining = remainingMs(ctx);
  if (remaining === Infinity) return storeTimeoutMs;
  const margin = Math.min(50, Math.max(2, remaining * 0.2));
  return Math.min(storeTimeoutMs, remaining - margin);
}

export async function getFeatureVectors(
  deps: ServiceDeps,
  request: feature.GetFeatureVectorsRequest__Output,
  ctx: CallContext,
): Promise<feature.GetFeatureVectorsResponse> {
  const set = findFeatureSet(deps.registry, request.featureSet, 'feature_set');
  const entities = parseVectorRequest(
    set,
    request.entities,
    request.context,
    deps.limits.maxEntitiesPerRequest,
  );
  const useDefaults = request.storeErrorPolicy === 'STORE_ERROR_POLICY_DEFAULT';

  const budget = storeBudgetMs(ctx, deps.limits.storeTimeoutMs);
  if (budget <= 0 && (set.views.length > 0 || set.eventSources.length > 0))
    throw new DeadlineExceededError('deadline too close to read the online store');
  const load = (view: FeatureView, keys: readonly EntityKey[]): Promise<Map<string, StoredRow>> =>
    withSpan('store query', { 'tally.view': view.name, 'tally.entities': keys.length }, () =>
      bounded(deps.store.readRows(view, keys), deps.limits.storeTimeoutMs),
    );

  const reads = new Map<string, ViewRows>();
  let firstFailure: unknown;
  let failedCount = 0;
  await Promise.all(
    set.views.map(async (view) => {
      const keys = entities.map((e) => e.keys.get(view.entity.joinKey)!);
      const { rows, failed } = await withSpan(
        'cache lookup',
        { 'tally.view': view.name, 'tally.entities': keys.length },
        () => deps.cache.read(view, keys, load, budget),
      );
      if (failed.size > 0) {
        firstFailure ??= failed.values().next().value;
        failedCount += failed.size;
      }
      reads.set(view.name, { rows, failed: new Set(failed.keys()) });
    }),
  );
  const now = Date.now();
  const aggregates = new Map<string, SourceTiles>();
  await Promise.all(
    set.eventSources.map(async (source) => {
      const features = set.features.flatMap((f) =>
        f.source === 'aggregation' && f.eventSource === source ? [f.aggregation] : [],
      );
      const keys = entities.map((e) => e.keys.get(source.entity.joinKey)!);
      try {
        const rows = await withSpan(
          'store query',
          { 'tally.event_source': source.name, 'tally.entities': keys.length },
          () => bounded(deps.events.readTiles(source, keys, tileRangesFor(features, now)), budget),
        );
        aggregates.set(source.name, { tiles: groupTiles(rows), failed: false });
      } catch (err) {
        firstFailure ??= err;
        failedCount += new Set(keys).size;
        aggregates.set(source.name, { tiles: new Map(), failed: true });
      }
    }),
  );
  if (failedCount > 0 && !useDefaults) {
    throw new UnavailableError(
      storeName(deps),
      `${failedCount} entity row(s) could not be read (${reasonOf(firstFailure)}); cached entities are still served, or send store_error_policy DEFAULT`,
    );
  }

  const counts = new Map<number, number>();
  const vectors = entities.map((entity) => {
    const vector = assembleVector(set, entity, reads, now, aggregates);
    for (const s of vector.statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
    return {
      values: vector.values,
      statuses: vector.statuses as unknown as feature.FeatureStatus[],
      eventTimesUnixMs: vector.eventTimes,
    };
  });
  for (const [status, count] of counts) {
    deps.metrics.valuesServed.inc({ feature_set: set.name, status: STATUS_LABELS[status] }, count);
  }
  return { featureSet: set.name, columns: [...set.columns], vectors, featureSetFingerprint: set.fingerprint };
}

/** Wraps a store failure into the error callers see (UNAVAILABLE naming the store). */
export function storeUnavailable(deps: ServiceDeps, err: unknown): UnavailableError {
  return new UnavailableError(storeName(deps), reasonOf(err));
}
