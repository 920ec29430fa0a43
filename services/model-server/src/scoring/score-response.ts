import type { feature, model } from '@tally/contracts';

const PRESENT: feature.FeatureStatus__Output = 'FEATURE_STATUS_PRESENT';

/** Every column whose value was not PRESENT (defaulted, stale, derived from a default), in column order. */
export function featureIssues(
  columns: readonly string[],
  statuses: readonly feature.FeatureStatus__Output[],
): model.FeatureIssue[] {
  const issues: model.FeatureIssue[] = [];
  statuses.forEach((status, i) => {
    if (status !== PRESENT) issues.push({ column: columns[i] ?? `#${i}`, status });
  });
  return issues;
}

/** Microseconds since `start` (a process.hrtime.bigint() reading). */
export function microsSince(start: bigint): number {
  return Number((process.hrtime.bigint() - start) / 1000n);
}
