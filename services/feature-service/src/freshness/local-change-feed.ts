import { keyText } from '../store';
import type { EntityKey } from '../store';
import type { InvalidationTarget, ReplicaChangeFeed } from './change-feed';

/** The change feed of a single replica (no NATS_URL): local invalidation only, cached entries served to their TTL. */
export class LocalChangeFeed implements ReplicaChangeFeed {
  readonly #targets: InvalidationTarget[] = [];

  addTarget(target: InvalidationTarget): void {
    this.#targets.push(target);
  }

  published(name: string, keys: readonly EntityKey[]): void {
    const texts = keys.map((key) => keyText(key));
    for (const target of this.#targets) target.invalidateKeys(name, texts);
  }

  maxEntryAgeMs(): number {
    return Infinity;
  }

  async close(): Promise<void> {}
}
