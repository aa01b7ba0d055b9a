// Inspections waiting for a session's next exchange (`GET <base>_inspect?after=<ms>`). The site's
// inspector asks as a click leaves the demo page; the request that click makes wakes it, and the page's
// response is held back a moment, until the inspection has answered and then HEAD_START_MS more. The
// inspector is then drawn before the frame starts on the new page, which takes the browser's main thread
// for 20–30 ms. In this process only: a waiter on another process (several workers or site instances)
// is not woken and answers after its wait; nobody waiting costs a request one Map lookup.

/** How long a page waits for the inspections it woke to answer. */
export const ANSWER_WAIT_MS = 20;
/**
 * How long the page then stays behind the inspection's answer. Measured with Chromium on a 2-vCPU VM
 * (bench/README.md "Performance budgets"): with no head start, about one click in six had the frame's
 * new document take the main thread before the inspector was drawn; 5 ms ahead still lost one in 20,
 * 10 ms one in 150. The reader's page comes those 10 ms later, and only while their inspector watches.
 */
export const HEAD_START_MS = 10;
/** Inspections waiting in one process at most; past it they answer at once (a flood parks nothing). */
const MAX_WAITING = 1_000;

interface Waiter {
  after: number;
  wake(): void;
  answered: Promise<void>;
}

export interface Wait {
  /** True when the session's next final exchange came, false when the wait ran out first. */
  arrived: Promise<boolean>;
  /** Says the inspection's answer is ready (or that it gave up); always call it once. */
  answered(): void;
}

/** A final exchange is one a page ends on: a redirect leads to another request, which is awaited instead. */
export const isFinal = (status: number) => status < 300 || status > 399;

export class Arrivals {
  readonly #waiting = new Map<string, Set<Waiter>>();
  #count = 0;

  /** Waits up to `waitMs` for an exchange of `key` later than `after` that is not a redirect. */
  wait(key: string, after: number, waitMs: number): Wait {
    let answered = () => {};
    const answeredPromise = new Promise<void>((resolve) => {
      answered = resolve;
    });
    if (this.#count >= MAX_WAITING || waitMs <= 0) return { arrived: Promise.resolve(false), answered };
    const waiters = this.#waiting.get(key) ?? new Set<Waiter>();
    this.#waiting.set(key, waiters);
    this.#count++;
    let settle: (arrived: boolean) => void = () => {};
    const arrived = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const waiter: Waiter = { after, answered: answeredPromise, wake: () => finish(true) };
    const finish = (came: boolean) => {
      if (!waiters.delete(waiter)) return;
      clearTimeout(timer);
      if (waiters.size === 0) this.#waiting.delete(key);
      this.#count--;
      settle(came);
    };
    const timer = setTimeout(() => finish(false), waitMs);
    waiters.add(waiter);
    return {
      arrived,
      answered: () => {
        finish(false); // no longer waiting, if it still was
        answered();
      },
    };
  }

  /**
   * Tells the waiting inspections of `key` about an exchange: those it answers wake up. Returns a promise
   * that settles HEAD_START_MS after they have answered (or gave up after ANSWER_WAIT_MS), or null
   * when none woke.
   */
  arrive(key: string, at: number, status: number): Promise<void> | null {
    const waiters = this.#waiting.get(key);
    if (!waiters || !isFinal(status)) return null;
    const woken = [...waiters].filter((waiter) => at > waiter.after);
    if (woken.length === 0) return null;
    for (const waiter of woken) waiter.wake();
    let timer: NodeJS.Timeout | undefined;
    const capped = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ANSWER_WAIT_MS);
    });
    return Promise.race([Promise.all(woken.map((waiter) => waiter.answered)), capped]).then(() => {
      clearTimeout(timer);
      return new Promise<void>((resolve) => setTimeout(resolve, HEAD_START_MS));
    });
  }
}
