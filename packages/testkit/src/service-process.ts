import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface ServiceProcessOptions {
  /** Absolute path of the compiled entry point (e.g. services/feature-service/dist/main.js). */
  script: string;
  /** Extra environment; merged over the current one. */
  env?: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. ['--require', '.../telemetry/register.js']. */
  nodeArgs?: string[];
  /** How long to wait for the "listening" log line. */
  startTimeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A real service running in a child process, with its output captured. */
export class ServiceProcess {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<Exit>;
  grpcPort = 0;
  #exit: Exit | undefined;

  constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    let outBuffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      outBuffer += chunk;
      const parts = outBuffer.split('\n');
      outBuffer = parts.pop() ?? '';
      this.lines.push(...parts.filter((l) => l.length > 0));
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
  }

  get address(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  get hasExited(): boolean {
    return this.#exit !== undefined;
  }

  /** Parsed JSON log records written so far. */
  records(): Array<Record<string, unknown>> {
    return this.lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the first log record matching `predicate`, or rejects after `timeoutMs` or on exit. */
  async waitForRecord(
    predicate: (r: Record<string, unknown>) => boolean,
    timeoutMs = 20000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.records().find(predicate);
      if (found) return found;
      if (this.#exit) {
        throw new Error(
          `process exited (${JSON.stringify(this.#exit)}) before the expected log line; stderr:\n${this.stderr.join('')}\nstdout:\n${this.lines.join('\n')}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for a log line; stderr:\n${this.stderr.join('')}\nstdout:\n${this.lines.slice(-20).join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15000): Promise<Exit> {
    if (this.#exit) return this.#exit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }
}

/** Spawns a node process. Does not wait for it to listen (see startService). */
export function spawnService(options: ServiceProcessOptions): ServiceProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ServiceProcess(child);
}

/** Spawns a Tally service and waits for its "listening" log line; the bound gRPC port is read from it. */
export async function startService(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const proc = spawnService(options);
  try {
    const record = await proc.waitForRecord(
      (r) => r.message === 'listening',
      options.startTimeoutMs ?? 30000,
    );
    proc.grpcPort = Number(record.grpc_port);
  } catch (err) {
    proc.child.kill('SIGKILL');
    throw err;
  }
  return proc;
}
