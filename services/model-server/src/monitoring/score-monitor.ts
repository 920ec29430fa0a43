import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DecisionRecord } from '../decisions/decision-record';
import type { DecisionRecorder } from '../decisions/decision-recorder';

/** Score buckets: twenty equal bins over [0, 1] (a probability), so PSI can be read from /metrics too. */
export const SCORE_BUCKETS = Array.from({ length: 20 }, (_, i) => Number(((i + 1) / 20).toFixed(2)));

/** Feature statuses counted per feature, by the short name used as the `status` label. */
const COUNTED: Record<string, string> = {
  FEATURE_STATUS_MISSING_DEFAULTED: 'defaulted',
  FEATURE_STATUS_STALE_DEFAULTED: 'stale',
  FEATURE_STATUS_STALE_KEPT: 'stale',
  FEATURE_STATUS_STORE_ERROR_DEFAULTED: 'store_error',
  FEATURE_STATUS_DERIVED_FROM_DEFAULT: 'derived_from_default',
};

/**
 * Score monitoring (docs/decision-log.md, "Score monitoring"): the served score per model version,
 * and per feature how often it was not present. Sits in front of the decision log, so it sees every
 * answered decision whether or not the log is enabled.
 */
export class ScoreMonitor implements DecisionRecorder {
  readonly #scores: Histogram<'model' | 'version'>;
  readonly #features: Counter<'feature_set' | 'feature' | 'status'>;

  constructor(
    registry: Registry,
    readonly next: DecisionRecorder | undefined,
  ) {
    this.#scores = new Histogram({
      name: 'tally_served_score',
      help: 'Score of every answered decision, per model and version (the version that answered).',
      labelNames: ['model', 'version'],
      buckets: SCORE_BUCKETS,
      registers: [registry],
    });
    this.#features = new Counter({
      name: 'tally_served_feature_issues_total',
      help: 'Features of answered decisions that were not present, per feature set column and status: defaulted (missing), stale (defaulted or kept), store_error (defaulted), derived_from_default.',
      labelNames: ['feature_set', 'feature', 'status'],
      registers: [registry],
    });
  }

  record(records: readonly DecisionRecord[]): Promise<void> {
    for (const r of records) {
      if (r.role !== 'served') continue;
      this.#scores.observe({ model: r.model, version: r.version }, r.score);
      r.statuses.forEach((s, i) => {
        const status = COUNTED[s];
        if (status !== undefined) {
          this.#features.inc({ feature_set: r.featureSet, feature: r.columns[i] ?? `#${i}`, status });
        }
      });
    }
    return this.next === undefined ? Promise.resolve() : this.next.record(records);
  }
}
