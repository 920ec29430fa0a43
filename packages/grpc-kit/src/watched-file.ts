import fs from 'node:fs';
import type { Logger } from './logger';

function signature(file: string): string {
  const stat = fs.statSync(file); // follows the symlink a Kubernetes volume swaps on update
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

/**
 * A file parsed at start-up (errors throw, naming the file) and re-parsed when it changes, checked
 * every `intervalMs`: a new version that parses replaces the old one (logged), one that does not is
 * logged as an error and the previous version stays in force. Used for the authorization policy and
 * the tokens file, so a rotated Secret takes effect without a restart.
 */
export class WatchedFile<T> {
  #value: T;
  #signature: string;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly path: string,
    readonly what: string,
    private readonly parse: (path: string) => T,
    intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.#signature = signature(path);
    this.#value = parse(path);
    this.#timer = setInterval(() => this.check(), intervalMs);
    this.#timer.unref();
  }

  get value(): T {
    return this.#value;
  }

  /** Re-reads the file if it changed (called by the timer; exposed for tests). */
  check(): void {
    let current: string;
    try {
      current = signature(this.path);
    } catch (err) {
      this.logger.error(`${this.what} unreadable, keeping the previous one`, { file: this.path, err });
      return;
    }
    if (current === this.#signature) return;
    this.#signature = current;
    try {
      this.#value = this.parse(this.path);
      this.logger.info(`${this.what} reloaded`, { file: this.path });
    } catch (err) {
      this.logger.error(`new ${this.what} refused, keeping the previous one`, {
        file: this.path,
        problem: err instanceof Error ? err.message : String(err),
      });
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
