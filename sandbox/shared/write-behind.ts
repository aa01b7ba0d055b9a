// SharedState writes that a request must not wait for: started at once (so they reach the server before
// the response reaches the visitor, on any sane network), never awaited by the request, flushed at
// shutdown. A store that is down costs one log line per outage, not one per request; past `maxPending`
// writes in flight, new ones are dropped (and counted) rather than piling up in memory.

export interface WriteBehindOptions {
  /** What is being written, for the log ("inspector exchanges"). */
  label: string;
  maxPending?: number;
  log?: (line: string) => void;
}

export class WriteBehind {
  readonly #pending = new Set<Promise<void>>();
  readonly #label: string;
  readonly #maxPending: number;
  readonly #log: (line: string) => void;
  #failing = false;
  #dropped = 0;

  constructor({ label, maxPending = 1_000, log = (line) => console.error(line) }: WriteBehindOptions) {
    this.#label = label;
    this.#maxPending = maxPending;
    this.#log = log;
  }

  /**
   * Starts `write` now; its failure is logged, never thrown. The promise (which never rejects) is for a
   * caller that does want to wait; a request does not.
   */
  later(write: () => Promise<unknown>): Promise<void> {
    if (this.#pending.size >= this.#maxPending) {
      if (this.#dropped++ === 0)
        this.#log(`[session-lab] ${this.#label}: ${this.#maxPending} writes waiting; dropping new ones`);
      return Promise.resolve();
    }
    const written: Promise<void> = Promise.resolve()
      .then(write)
      .then(
        () => {
          if (!this.#failing && this.#dropped === 0) return;
          this.#log(`[session-lab] ${this.#label}: writing again (${this.#dropped} writes were dropped)`);
          this.#failing = false;
          this.#dropped = 0;
        },
        (error: unknown) => {
          if (!this.#failing) this.#log(`[session-lab] ${this.#label}: ${(error as Error).message}`);
          this.#failing = true;
          this.#dropped++;
        },
      )
      .finally(() => this.#pending.delete(written));
    this.#pending.add(written);
    return written;
  }

  /** Resolves once every write started so far has finished (or failed). */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }
}
