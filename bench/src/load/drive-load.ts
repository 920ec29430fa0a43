import { performance } from 'node:perf_hooks';
import { errorCodeName } from './call-error';
import type { Caller } from './callers';
import type { GeneratorResult, LoadSpec } from './load-spec';
import { OpenLoopSchedule } from './open-loop-schedule';

interface Recorder {
  latenciesMs: number[];
  errors: Record<string, number>;
}

function recordError(recorder: Recorder, name: string): void {
  recorder.errors[name] = (recorder.errors[name] ?? 0) + 1;
}

/** Closed loop: `concurrency` callers, each sending its next call as soon as the last one answers. */
async function closedLoop(
  caller: Caller,
  concurrency: number,
  warmEnd: number,
  end: number,
  indexOffset: number,
  recorder: Recorder,
): Promise<void> {
  let next = indexOffset;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const index = next;
      next += 1;
      const startedAt = performance.now();
      let failure: string | undefined;
      try {
        await caller.call(index);
      } catch (err) {
        failure = errorCodeName(err);
      }
      if (startedAt < warmEnd || startedAt >= end) continue;
      if (failure === undefined) recorder.latenciesMs.push(performance.now() - startedAt);
      else recordError(recorder, failure);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Open loop: calls leave on the schedule whatever the server does; each latency runs from the call's
 * scheduled time. Calls beyond `maxOutstanding` in flight are not sent and count as CLIENT_BACKLOG.
 */
async function openLoop(
  caller: Caller,
  ratePerSec: number,
  maxOutstanding: number,
  start: number,
  warmEnd: number,
  end: number,
  indexOffset: number,
  recorder: Recorder,
): Promise<void> {
  const schedule = new OpenLoopSchedule(start, ratePerSec, end);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  const send = (index: number): void => {
    const scheduledAt = schedule.scheduledAt(index);
    const measured = scheduledAt >= warmEnd;
    if (inFlight.size >= maxOutstanding) {
      if (measured) recordError(recorder, 'CLIENT_BACKLOG');
      return;
    }
    const p = caller.call(indexOffset + index).then(
      () => {
        if (measured) recorder.latenciesMs.push(performance.now() - scheduledAt);
      },
      (err: unknown) => {
        if (measured) recordError(recorder, errorCodeName(err));
      },
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  while (sent < schedule.totalCalls) {
    const due = schedule.dueBy(performance.now());
    while (sent < due) {
      send(sent);
      sent += 1;
    }
    const wait = schedule.scheduledAt(sent) - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(wait, 50))));
  }
  await Promise.all(inFlight);
}

/** Runs one load spec with `caller` in this process and reports what it measured. */
export async function driveLoad(
  spec: LoadSpec,
  caller: Caller,
  indexOffset: number,
): Promise<GeneratorResult> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const warmEnd = start + spec.warmupMs;
  const end = warmEnd + spec.durationMs;
  const recorder: Recorder = { latenciesMs: [], errors: {} };
  if (spec.mode.kind === 'closed') {
    await closedLoop(caller, spec.mode.concurrency, warmEnd, end, indexOffset, recorder);
  } else {
    await openLoop(
      caller,
      spec.mode.ratePerSec,
      spec.mode.maxOutstanding,
      start,
      warmEnd,
      end,
      indexOffset,
      recorder,
    );
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    latenciesMs: recorder.latenciesMs,
    errors: recorder.errors,
    windowMs: spec.durationMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    wallMs: performance.now() - start,
  };
}
