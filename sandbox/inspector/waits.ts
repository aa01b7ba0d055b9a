// Inspections waiting for a session's next exchange (`GET <base>_inspect?after=<ms>`). The site's
// inspector asks as a click leaves the demo page, so its inspection is usually parked here before the
// page's request arrives; that request's exchange wakes it and it answers at once. Nothing is held: the
// page's response never waits for an inspection. In this process only: a waiter on another process
// (several workers or site instances) is not woken and answers when its wait runs out.

/** Inspections waiting in one process at most; past it they answer at once (a flood parks nothing). */
const MAX_WAITING = 1_000;

interface Waiter {
  after: number;
  wake(): void;
}

export interface Wait {
  /** True when the session's next final exchange came, false when the wait ran out first. */
  arrived: Promise<boolean>;
  /** Stops waiting (the inspection answers or gave up); always call it once. */
  end(): void;
}

/** A final exchange is one a page ends on: a redirect leads to another request, which is awaited instead. */
export const isFinal = (status: number) => status < 300 || status > 399;

export class InspectorWaits {
  readonly #waiting = new Map<string, Set<Waiter>>();
  #count = 0;

  /** Waits up to `waitMs` for an exchange of `key` later than `after` that is not a redirect. */
  wait(key: string, after: number, waitMs: number): Wait {
    if (this.#count >= MAX_WAITING || waitMs <= 0) return { arrived: Promise.resolve(false), end: () => {} };
    const waiters = this.#waiting.get(key) ?? new Set<Waiter>();
    this.#waiting.set(key, waiters);
    this.#count++;
    let settle: (arrived: boolean) => void = () => {};
    const arrived = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const finish = (came: boolean) => {
      if (!waiters.delete(waiter)) return;
      clearTimeout(timer);
      if (waiters.size === 0) this.#waiting.delete(key);
      this.#count--;
      settle(came);
    };
    const waiter: Waiter = { after, wake: () => finish(true) };
    const timer = setTimeout(() => finish(false), waitMs);
    waiters.add(waiter);
    return { arrived, end: () => finish(false) };
  }

  /** Tells the waiting inspections of `key` about an exchange: those it answers wake up. Returns how many. */
  arrive(key: string, at: number, status: number): number {
    const waiters = this.#waiting.get(key);
    if (!waiters || !isFinal(status)) return 0;
    const woken = [...waiters].filter((waiter) => at > waiter.after);
    for (const waiter of woken) waiter.wake();
    return woken.length;
  }
}
