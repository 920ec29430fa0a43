import { exec, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot } from '@tally/testkit';

/**
 * `pnpm start` as a newcomer runs it (scripts/start.js, after the build), in a fresh working
 * directory so the embedded store is new: it must load the demo data, bring both services up, print
 * a `pnpm tally score` command that works as printed, and stop both cleanly on Ctrl-C (SIGINT).
 */
const START_SCRIPT = path.join(repoRoot(), 'scripts/start.js');
const COMMAND_LINE = /^start\s+\|\s+(pnpm tally score .+)$/m;

class StartRun {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly child: ChildProcess;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [START_SCRIPT], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    }
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** The printed score command, once both services are up. */
  async printedCommand(timeoutMs: number): Promise<string> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = COMMAND_LINE.exec(this.output);
      if (match) return match[1]!;
      if (exited || Date.now() > deadline) {
        throw new Error(
          `no score command printed (${exited ? 'exited' : 'timed out'}); output:\n${this.output}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ctrl-C: SIGINT, then the exit (SIGKILL if it hangs, which fails the test through its exit). */
  async interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill('SIGINT');
    const force = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const exit = await this.exited;
    clearTimeout(force);
    return exit;
  }
}

/** Runs a shell command from the repository root, as a user would in a second terminal. */
function shell(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    exec(command, { cwd: repoRoot() }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('pnpm start (scripts/start.js)', () => {
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  const runs: StartRun[] = [];

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-start-'));
    env = {
      TALLY_FEATURE_SERVICE_PORT: String(await freePort()),
      TALLY_MODEL_SERVER_PORT: String(await freePort()),
      TALLY_FEATURE_SERVICE_METRICS_PORT: String(await freePort()),
      TALLY_MODEL_SERVER_METRICS_PORT: String(await freePort()),
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    };
  });

  /** Stops runs a failed test left up, the clean way (SIGINT), so that they stop their services too. */
  async function stopRunsLeftUp(): Promise<void> {
    await Promise.all(
      runs.map((run) =>
        run.child.exitCode === null && run.child.signalCode === null ? run.interrupt() : run.exited,
      ),
    );
  }

  afterAll(async () => {
    await stopRunsLeftUp();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('creates the store, loads the demo data, prints a score command that works, stops on Ctrl-C', async () => {
    const run = new StartRun(cwd, env);
    runs.push(run);
    const command = await run.printedCommand(120_000);
    expect(fs.existsSync(path.join(cwd, 'data/tally.sqlite'))).toBe(true);
    expect(run.output).toMatch(/loading the \d+ demo applicants/);
    expect(run.output).toMatch(/9857 rows read, 9857 written, 0 ignored .*, 0 rejected/);
    expect(run.output).toMatch(/^feature-service \| .* listening /m);
    expect(run.output).toMatch(/^model-server +\| .* listening /m);
    expect(command).toContain(`--address 127.0.0.1:${env.TALLY_MODEL_SERVER_PORT}`);

    const scored = await shell(command);
    expect(scored.stderr).not.toMatch(/tally:/); // pnpm itself echoes the command on stderr
    expect(scored.code).toBe(0);
    const probability = Number(/^probability\s+(\S+)$/m.exec(scored.stdout)?.[1]);
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
    expect(scored.stdout).toMatch(/^features\s+all features present$/m);

    const exit = await run.interrupt();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(run.output).toMatch(/^feature-service \| .* stopped$/m);
    expect(run.output).toMatch(/^model-server +\| .* stopped$/m);
  }, 180_000);

  it('on the next start, finds the demo data already in the store and does not load it again', async () => {
    await stopRunsLeftUp(); // by a failure of the test before
    const run = new StartRun(cwd, env);
    runs.push(run);
    await run.printedCommand(120_000);
    expect(run.output).toMatch(/the store already holds the 9857 demo applicants/);
    expect(run.output).not.toMatch(/rows read/);
    expect(await run.interrupt()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
