import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** How to get h2load where it is missing (the bench's own setup check says this). */
export const H2LOAD_INSTALL =
  'install it with `apt-get install -y nghttp2-client` (Debian/Ubuntu; `brew install nghttp2` on macOS)';

/** h2load's version line, or undefined when it is not installed. */
export function h2loadVersion(): string | undefined {
  try {
    return execFileSync('h2load', ['--version'], { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

export interface H2loadRun {
  /** `http://127.0.0.1:PORT/package.Service/Method` (h2c with prior knowledge). */
  url: string;
  /** A file holding one gRPC frame: the request body of every call. */
  frameFile: string;
  /** Calls to make, in total. */
  calls: number;
  /** Connections (-c) and concurrent streams per connection (-m): in flight = connections × streams. */
  connections: number;
  streams: number;
  /** Where h2load writes one line per call (start, HTTP status, duration). */
  logFile: string;
  /** `taskset -c` CPU list for h2load, if pinned. */
  cpus: string | undefined;
}

export interface H2loadResult {
  calls: number;
  /** Calls answered with HTTP 200: gRPC errors are HTTP 200 too, so check the server's own codes. */
  http2xx: number;
  /** Calls h2load counted as failed or errored (transport level). */
  failed: number;
  /** h2load's own wall time from first connection to last answer. */
  wallMs: number;
  throughputPerSec: number;
  /** Every call's duration, from h2load's per-request log. */
  latenciesMs: number[];
}

function field(output: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(output);
  if (!match) throw new Error(`cannot read ${what} from h2load's output:\n${output}`);
  return Number(match[1]);
}

/** Reads h2load's summary ("finished in …", "requests: …", "status codes: …") and its per-call log. */
export function parseH2load(output: string, log: string): Omit<H2loadResult, 'throughputPerSec'> {
  const elapsed = /finished in ([\d.]+)(ms|s),/.exec(output);
  if (!elapsed) throw new Error(`cannot read the elapsed time from h2load's output:\n${output}`);
  const wallMs = Number(elapsed[1]) * (elapsed[2] === 'ms' ? 1 : 1000);
  const done = field(output, /requests: \d+ total, \d+ started, (\d+) done/, 'the calls done');
  const failed = field(output, /(\d+) failed/, 'the failed calls') + field(output, /(\d+) errored/, 'errors');
  const http2xx = field(output, /status codes: (\d+) 2xx/, 'the 2xx count');
  const latenciesMs = log
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => Number(line.split('\t')[2]) / 1000);
  return { calls: done, http2xx, failed, wallMs, latenciesMs };
}

/** Runs h2load once (pinned with taskset when `cpus` is set) and returns what it measured. */
export async function runH2load(run: H2loadRun): Promise<H2loadResult> {
  const args = [
    '-n',
    String(run.calls),
    '-c',
    String(run.connections),
    '-m',
    String(run.streams),
    '-d',
    run.frameFile,
    '-H',
    'content-type: application/grpc',
    '-H',
    'te: trailers',
    '--log-file',
    run.logFile,
    run.url,
  ];
  const [command, argv] =
    run.cpus === undefined ? ['h2load', args] : ['taskset', ['-c', run.cpus, 'h2load', ...args]];
  const output = await new Promise<string>((resolve, reject) =>
    execFile(command, argv, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`h2load failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  const parsed = parseH2load(output, fs.readFileSync(run.logFile, 'utf8'));
  fs.rmSync(run.logFile, { force: true });
  return { ...parsed, throughputPerSec: parsed.calls / (parsed.wallMs / 1000) };
}
