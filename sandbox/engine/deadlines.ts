// The engine's guard on store calls: each call fails with 503 after `ms` without an answer, as with
// `withTimeout`, but all pending calls share one timer: creating and clearing a timer for every call
// costs more than a RAM-store load itself.
import { StoreUnavailableError } from './errors.ts';

interface Pending {
  /** performance.now() after which the call has failed. */
  deadline: number;
  reject: (error: Error) => void;
}

export class StoreDeadlines {
  readonly #store: string;
  readonly #ms: number;
  /**
   * Calls still waiting. Every call gets the same `ms`, so insertion order is deadline order and the
   * first entry is always the next to expire.
   */
  readonly #pending = new Set<Pending>();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: string, ms: number) {
    this.#store = store;
    this.#ms = ms;
  }

  /** `work`'s outcome, or a StoreUnavailableError once `ms` have passed without one. */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { deadline: performance.now() + this.#ms, reject };
      this.#pending.add(entry);
      if (this.#timer === undefined) this.#timer = setTimeout(this.#expire, this.#ms);
      else if (this.#pending.size === 1) this.#timer.ref();
      work.then(
        (value) => {
          this.#settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.#settle(entry);
          reject(error);
        },
      );
    });
  }

  #settle(entry: Pending): void {
    // Nothing left to watch: the timer stays armed for the next call (re-arming costs more than a
    // RAM-store call) but no longer keeps an idle process alive; when it fires with nothing pending,
    // it is gone.
    if (this.#pending.delete(entry) && this.#pending.size === 0) this.#timer?.unref();
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    // The timer and performance.now() may disagree by a fraction of a millisecond.
    const now = performance.now() + 1;
    for (const entry of this.#pending) {
      if (entry.deadline > now) {
        this.#timer = setTimeout(this.#expire, entry.deadline - now + 1);
        return;
      }
      this.#pending.delete(entry);
      entry.reject(
        new StoreUnavailableError(this.#store, `no answer within ${this.#ms} ms`, 'Is the server running?'),
      );
    }
  };
}
