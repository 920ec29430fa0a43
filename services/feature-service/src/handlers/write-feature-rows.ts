import type { feature } from '@tally/contracts';
import { InvalidArgumentError, NotFoundError, remainingMs } from '@tally/grpc-kit';
import type { CallContext } from '@tally/grpc-kit';
import { StoreTimeoutError } from '../cache';
import type { FeatureView, Scalar } from '../registry';
import type { RowToWrite } from '../store';
import { readKey, readTyped } from '../vectors';
import { storeUnavailable } from './get-feature-vectors';
import type { ServiceDeps } from './service-deps';

/** Longest a write waits for the store when the caller set no deadline. */
const WRITE_TIMEOUT_WITHOUT_DEADLINE_MS = 30000;

/**
 * How far ahead of this server's clock a row's event time may be (clock skew between the source
 * system and the service). A row further in the future is refused: stored, it would win over every
 * correction until its time came.
 */
export const MAX_EVENT_TIME_AHEAD_MS = 5 * 60_000;

function findView(deps: ServiceDeps, name: string): FeatureView {
  if (!name) throw new InvalidArgumentError('feature_view', 'required: a feature view name');
  const view = deps.registry.views.get(name);
  if (view === undefined) {
    const known = [...deps.registry.views.keys()].sort().join(', ') || 'none';
    throw new NotFoundError('feature view', name, `known: ${known}`);
  }
  return view;
}

/** Validates every row before anything is written; throws INVALID_ARGUMENT naming `rows[i].<field>`. */
export function validateRows(
  view: FeatureView,
  rows: readonly feature.FeatureRow__Output[],
  maxRows: number,
  nowMs = Date.now(),
): RowToWrite[] {
  if (rows.length === 0) throw new InvalidArgumentError('rows', 'at least one row is required');
  if (rows.length > maxRows) {
    throw new InvalidArgumentError(
      'rows',
      `${rows.length} rows exceed the limit of ${maxRows} per write (MAX_ROWS_PER_WRITE)`,
    );
  }
  const joinKey = view.entity.joinKey;
  return rows.map((row, i) => {
    const key = readKey(row.keys?.[joinKey], view.entity.keyType, `rows[${i}].keys.${joinKey}`);
    for (const name of Object.keys(row.keys ?? {})) {
      if (name !== joinKey) {
        throw new InvalidArgumentError(
          `rows[${i}].keys.${name}`,
          `not the join key of view '${view.name}' (expected: ${joinKey})`,
        );
      }
    }
    for (const name of Object.keys(row.values ?? {})) {
      if (!view.features.some((f) => f.name === name)) {
        throw new InvalidArgumentError(
          `rows[${i}].values.${name}`,
          `not a feature of view '${view.name}' (features: ${view.features.map((f) => f.name).join(', ')})`,
        );
      }
    }
    const values: Scalar[] = view.features.map((f) =>
      readTyped(row.values?.[f.name], f, `rows[${i}].values.${f.name}`),
    );
    const eventTimeMs = Number(row.eventTimeUnixMs);
    if (!Number.isSafeInteger(eventTimeMs) || eventTimeMs <= 0) {
      throw new InvalidArgumentError(
        `rows[${i}].event_time_unix_ms`,
        'required: milliseconds since the Unix epoch, > 0',
      );
    }
    if (eventTimeMs > nowMs + MAX_EVENT_TIME_AHEAD_MS) {
      throw new InvalidArgumentError(
        `rows[${i}].event_time_unix_ms`,
        `${new Date(eventTimeMs).toISOString()} is more than ${MAX_EVENT_TIME_AHEAD_MS / 60_000} minutes ahead of the server's clock (${new Date(nowMs).toISOString()}); a row from the future would hide every later correction`,
      );
    }
    return { key, eventTimeMs, values };
  });
}

export async function writeFeatureRows(
  deps: ServiceDeps,
  request: feature.WriteFeatureRowsRequest__Output,
  ctx: CallContext,
): Promise<feature.WriteFeatureRowsResponse> {
  const view = findView(deps, request.featureView);
  const rows = validateRows(view, request.rows, deps.limits.maxRowsPerWrite);
  const remaining = remainingMs(ctx);
  const waitMs =
    remaining === Infinity
      ? WRITE_TIMEOUT_WITHOUT_DEADLINE_MS
      : Math.max(1, remaining - Math.min(50, remaining * 0.2));
  const keys = rows.map((r) => r.key);
  let timer: NodeJS.Timeout | undefined;
  const writing = deps.store.writeRows(view, rows);
  // Invalidate (here at once, on every other replica through the change feed) when the write ends,
  // before it is acknowledged, and also when it failed or outlived this call's deadline (it may commit).
  writing.finally(() => deps.changes.published(view.name, keys)).catch(() => undefined);
  try {
    const outcome = await Promise.race([
      writing,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreTimeoutError(waitMs)), waitMs);
      }),
    ]);
    deps.metrics.rowsWritten.inc({ view: view.name, outcome: 'written' }, outcome.written);
    deps.metrics.rowsWritten.inc({ view: view.name, outcome: 'ignored_older' }, outcome.ignoredOlder);
    return { rowsWritten: outcome.written, rowsIgnoredOlder: outcome.ignoredOlder };
  } catch (err) {
    // The transaction may still commit after a timeout; retrying is safe (newest event time wins).
    throw storeUnavailable(deps, err);
  } finally {
    clearTimeout(timer);
  }
}
