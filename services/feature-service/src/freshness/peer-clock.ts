/**
 * When each replica (this one included) was last heard on the heartbeat subject. The change feed is
 * trusted only while every known replica was heard within `staleMs`: NATS delivers one publisher's
 * messages in order, so a heartbeat heard from a replica proves its earlier invalidations arrived.
 * A replica silent for `forgetMs` (crashed) is forgotten; one that says goodbye is forgotten at once.
 */
export class PeerClock {
  readonly #lastHeard = new Map<string, number>();

  constructor(
    readonly self: string,
    readonly staleMs: number,
    readonly forgetMs: number,
  ) {}

  heard(replica: string, now: number): void {
    this.#lastHeard.set(replica, now);
  }

  left(replica: string): void {
    if (replica !== this.self) this.#lastHeard.delete(replica);
  }

  /** Forgets everyone, this replica included (after its own connection dropped). */
  reset(): void {
    this.#lastHeard.clear();
  }

  /** Replicas currently known (heard within `forgetMs`), this one included once heard. */
  get known(): number {
    return this.#lastHeard.size;
  }

  /** True when this replica and every known peer were heard within `staleMs`. */
  allFresh(now: number): boolean {
    if (!this.#lastHeard.has(this.self)) return false;
    let fresh = true;
    for (const [replica, at] of this.#lastHeard) {
      const silentFor = now - at;
      if (silentFor > this.forgetMs && replica !== this.self) this.#lastHeard.delete(replica);
      else if (silentFor > this.staleMs) fresh = false;
    }
    return fresh;
  }
}
