import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

/** The nats-server binary: NATS_SERVER_BIN, else the one on PATH, else Debian's /usr/sbin/nats-server. */
export function natsServerBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  return found || '/usr/sbin/nats-server';
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A nats-server with JetStream that a test starts on a free loopback port, with its own store folder.
 * `stop()` and `start()` again keep the port and the JetStream store (a broker restart); `dispose()`
 * stops it and removes the folder.
 */
export class NatsTestServer {
  readonly storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-nats-'));
  readonly log: string[] = [];
  #child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<NatsTestServer> {
    const server = new NatsTestServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** (Re)starts the server on the same port and store; resolves once it accepts connections. */
  async start(timeoutMs = 15000): Promise<void> {
    if (this.#child) return;
    const child = spawn(
      natsServerBinary(),
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.#child = child;
    const keep = (chunk: Buffer) => this.log.push(chunk.toString('utf8'));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited = false;
    child.once('exit', () => {
      exited = true;
      if (this.#child === child) this.#child = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    while (!(await accepts(this.port))) {
      if (exited) throw new Error(`nats-server exited at start:\n${this.log.join('')}`);
      if (Date.now() > deadline) throw new Error(`nats-server did not listen within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server (SIGTERM; SIGKILL after 10 s) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
    this.#child = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.storeDir, { recursive: true, force: true });
  }
}
