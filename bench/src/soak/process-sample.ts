import fs from 'node:fs';

/** What one service process holds at one moment: from /proc and from its own /metrics. */
export interface ProcessSample {
  /** Resident set size (VmRSS), bytes. */
  rssBytes: number;
  /** Open file descriptors (entries of /proc/PID/fd): sockets, files, pipes. */
  openFds: number;
  /** OS threads (libuv pool, worker threads, V8). */
  threads: number;
  /** Node's active handles (prom-client's nodejs_active_handles_total): timers, sockets, servers. */
  activeHandles: number | undefined;
  /** V8 heap in use, bytes (nodejs_heap_size_used_bytes). */
  heapUsedBytes: number | undefined;
}

function statusField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

/** Sum of a Prometheus metric's samples (every label set), or undefined when it is absent. */
export function promValue(text: string, name: string): number | undefined {
  let found = false;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] === name) {
      found = true;
      sum += Number(match[2]);
    }
  }
  return found ? sum : undefined;
}

/** Samples `pid` (Linux /proc) and, when `metricsPort` is given, its Prometheus page. */
export async function sampleProcess(pid: number, metricsPort?: number): Promise<ProcessSample> {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const openFds = fs.readdirSync(`/proc/${pid}/fd`).length;
  let metrics = '';
  if (metricsPort !== undefined) {
    try {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      metrics = res.ok ? await res.text() : '';
    } catch {
      metrics = '';
    }
  }
  return {
    rssBytes: statusField(status, 'VmRSS') * 1024,
    openFds,
    threads: statusField(status, 'Threads'),
    activeHandles: promValue(metrics, 'nodejs_active_handles_total'),
    heapUsedBytes: promValue(metrics, 'nodejs_heap_size_used_bytes'),
  };
}
