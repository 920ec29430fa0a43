/** Counts calls in flight so shutdown can report and wait for them. */
export class InFlightCalls {
  #count = 0;
  #waiters: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  /** Marks a call started; call the returned function exactly once when it ends. */
  begin(): () => void {
    this.#count += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#count -= 1;
      if (this.#count === 0) {
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const w of waiters) w();
      }
    };
  }

  /** Resolves when no call is in flight. */
  idle(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
