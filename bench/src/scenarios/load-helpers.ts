import type { CallTarget, LoadMode, LoadSpec } from '../load/load-spec';
import type { LoadRun } from '../load/run-load';
import type { Measurement, Subject } from '../measurement';
import type { BenchContext } from './scenario';

/** A load spec with the run's warm-up and duration. */
export function loadSpec(context: BenchContext, target: CallTarget, mode: LoadMode): LoadSpec {
  return {
    target,
    mode,
    warmupMs: context.profile.warmupMs,
    durationMs: context.profile.durationMs,
    callTimeoutMs: 10000,
  };
}

export function closed(concurrency: number): LoadMode {
  return { kind: 'closed', concurrency };
}

export function open(ratePerSec: number): LoadMode {
  return { kind: 'open', ratePerSec, maxOutstanding: 2000 };
}

/** A load run with the profile's generator count (one generator for a single caller). */
export function loadRun(
  context: BenchContext,
  label: string,
  subject: Subject,
  target: CallTarget,
  mode: LoadMode,
  extra: Partial<Pick<LoadRun, 'rowsPerCall' | 'serverPids'>> = {},
): LoadRun {
  const single = mode.kind === 'closed' && mode.concurrency === 1;
  return {
    label,
    subject,
    spec: loadSpec(context, target, mode),
    generators: single ? 1 : context.profile.generators,
    ...extra,
  };
}

/**
 * The offered rate for an open-loop comparison: half the lower of two closed-loop throughputs, so
 * both systems run loaded but below saturation and their p99 compare at the same rate.
 */
export function comparisonRate(a: Measurement | undefined, b: Measurement | undefined): number {
  const lower = Math.min(a?.throughputPerSec ?? Infinity, b?.throughputPerSec ?? Infinity);
  return Number.isFinite(lower) && lower > 0 ? Math.max(10, Math.round(lower / 2)) : 100;
}

export function pidsOf(...processes: Array<{ child: { pid?: number } } | undefined>): number[] {
  return processes.flatMap((p) => (p?.child.pid !== undefined ? [p.child.pid] : []));
}
