import fs from 'node:fs';
import path from 'node:path';

/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) that the summary reads. */
interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  /** µs between samples (the first one from startTime). */
  timeDeltas?: number[];
}

/** A stretch of time on the monotonic clock V8 stamps its samples with (µs, as process.hrtime). */
export interface TimeWindow {
  startUs: number;
  endUs: number;
}

/** Self time of one function (or of one code group), in ms and as a share of the busy (non-idle) time. */
export interface SelfTime {
  name: string;
  selfMs: number;
  /** Share of the busy time, 0..1. */
  share: number;
}

/** What one profiled process (all its threads) spent its CPU on. */
export interface ProcessProfile {
  /** e.g. "feature-service tracing 1% round 2". */
  label: string;
  /** The .cpuprofile files, relative to the results folder. */
  files: string[];
  wallMs: number;
  /** Whether only samples inside the load windows were counted (false: the whole process life). */
  loadWindowsOnly: boolean;
  /** Sampled time not idle, all threads summed. */
  busyMs: number;
  topFunctions: SelfTime[];
  /** Self time per package (`@grpc/grpc-js`, `services/feature-service`, `node internals`, `(garbage collector)`…). */
  byPackage: SelfTime[];
}

/** The code group of a script URL: an npm package, a folder of this repo, or node's own code. */
export function codeGroup(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:') || !url.includes('/')) return 'node internals';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const repo = /\/(packages|services|bench)\/([^/]+)\//.exec(file);
  if (repo) return repo[1] === 'bench' ? 'bench' : `${repo[1]}/${repo[2]}`;
  return path.basename(file);
}

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) return file.slice(modules + '/node_modules/'.length);
  const repo = /\/((?:packages|services|bench)\/.*)$/.exec(file);
  return repo ? repo[1]! : file;
}

function ranked(totals: Map<string, number>, busyMs: number, limit: number): SelfTime[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, selfMs]) => ({
      name,
      selfMs: Math.round(selfMs * 10) / 10,
      share: busyMs > 0 ? Math.round((selfMs / busyMs) * 1000) / 1000 : 0,
    }));
}

/**
 * Sums the self time of every function over the given profiles (one per thread of a process):
 * each sample is worth the profile's wall time divided by its sample count.
 */
export function summarizeProfiles(
  label: string,
  profiles: Array<{ file: string; profile: CpuProfile }>,
  limit = 15,
  windows: readonly TimeWindow[] = [],
): ProcessProfile {
  const inWindow = (us: number): boolean => windows.some((w) => us >= w.startUs && us <= w.endUs);
  const windowed = windows.length > 0 && profiles.some(({ profile }) => hasSampleIn(profile, inWindow));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busyMs = 0;
  let wallMs = 0;
  for (const { profile } of profiles) {
    const hits = new Map<number, number>();
    let sampleCount = 0;
    if (profile.samples && profile.samples.length > 0) {
      let at = profile.startTime;
      profile.samples.forEach((id, i) => {
        at += profile.timeDeltas?.[i] ?? 0;
        sampleCount += 1;
        if (!windowed || inWindow(at)) hits.set(id, (hits.get(id) ?? 0) + 1);
      });
    } else {
      for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
      sampleCount = [...hits.values()].reduce((a, b) => a + b, 0);
    }
    const profileWallMs = (profile.endTime - profile.startTime) / 1000;
    wallMs = Math.max(wallMs, profileWallMs);
    const msPerSample = sampleCount > 0 ? profileWallMs / sampleCount : 0;
    for (const node of profile.nodes) {
      const ms = (hits.get(node.id) ?? 0) * msPerSample;
      if (ms === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') continue;
      busyMs += ms;
      const where = url === '' ? '' : ` ${shortUrl(url)}:${lineNumber + 1}`;
      const key = `${functionName || '(anonymous)'}${where}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      const group = codeGroup(url, functionName);
      byPackage.set(group, (byPackage.get(group) ?? 0) + ms);
    }
  }
  return {
    label,
    files: profiles.map((p) => p.file),
    wallMs: Math.round(wallMs),
    loadWindowsOnly: windowed,
    busyMs: Math.round(busyMs),
    topFunctions: ranked(byFunction, busyMs, limit),
    byPackage: ranked(byPackage, busyMs, limit),
  };
}

function hasSampleIn(profile: CpuProfile, inWindow: (us: number) => boolean): boolean {
  let at = profile.startTime;
  return (profile.timeDeltas ?? []).some((delta) => inWindow((at += delta)));
}

/** Reads every .cpuprofile in `dir` (one per thread) and summarises them as one process. */
export function summarizeProfileDir(
  label: string,
  dir: string,
  relativeTo: string,
  windows: readonly TimeWindow[] = [],
): ProcessProfile | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return undefined;
  return summarizeProfiles(
    label,
    files.map((f) => ({
      file: path.relative(relativeTo, path.join(dir, f)),
      profile: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CpuProfile,
    })),
    15,
    windows,
  );
}
