// Inspections waiting for a session's next exchange (`GET <base>_inspect?after=<ms>`). The site's
// inspector asks as a click leaves the demo page; the request that click makes wakes it, and the page's
// response is held back a moment, until the inspection has answered and then HEAD_START_MS more. The
// inspector is then drawn before the frame starts on the new page, which takes the browser's main thread
// for 20–30 ms. The browser does not promise to send the inspection before the page's request, so a
// session whose inspector asked this way is "watched": its next page waits up to LATE_WAIT_MS for an
// inspection that is on its way. In this process only: a waiter on another process (several workers or
// site instances) is not woken and answers after its wait; a session nobody watches costs a request
// two Map lookups.

/** How long a page waits for the inspections it woke to answer. */
export const ANSWER_WAIT_MS = 20;
/**
 * How long the page then stays behind the inspection's answer. Measured with Chromium on a 2-vCPU VM
 * (bench/RESULTS.md, "How a click reaches the inspector"): with no head start, about one click in six
 * had the frame's new document take the main thread before the inspector was drawn; 5 ms ahead still
 * lost one in 20, 10 ms one in 150. The reader's page comes those 10 ms later, and only while their
 * inspector watches.
 */
export const HEAD_START_MS = 10;
/**
 * How long the page of a watched session waits for an inspection that has not reached the server yet.
 * Measured (bench/RESULTS.md, the same section): about one click in 50 had Chromium send the click's
 * inspection 1–2 ms after the page's request; if none comes, the session is no longer watched and its
 * pages wait no more.
 */
export const LATE_WAIT_MS = 10;
/** Inspections waiting in one process at most; past it they answer at once (a flood parks nothing). */
const MAX_WAITING = 1_000;
/** Sessions remembered as watched, at most (oldest forgotten first), and for how long. */
const MAX_WATCHED = 10_000;
const WATCHED_FOR_MS = 10 * 60_000;

type Latecomer = (after: number, answered: Promise<void>) => void;

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

export class InspectorWaits {
  readonly #waiting = new Map<string, Set<Waiter>>();
  #count = 0;
  /** Sessions whose inspector asks ahead of its clicks → when it last did (oldest first). */
  readonly #watched = new Map<string, number>();
  /** Pages of watched sessions waiting for their inspection to arrive. */
  readonly #latecomers = new Map<string, Latecomer>();

  /** Waits up to `waitMs` for an exchange of `key` later than `after` that is not a redirect. */
  wait(key: string, after: number, waitMs: number): Wait {
    let answered = () => {};
    const answeredPromise = new Promise<void>((resolve) => {
      answered = resolve;
    });
    this.#watch(key);
    this.#latecomers.get(key)?.(after, answeredPromise);
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
   * when none woke and none is on its way.
   */
  arrive(key: string, at: number, status: number): Promise<void> | null {
    if (!isFinal(status)) return null;
    const waiters = this.#waiting.get(key);
    if (waiters) {
      const woken = [...waiters].filter((waiter) => at > waiter.after);
      for (const waiter of woken) waiter.wake();
      // An inspection already here that this exchange does not answer: none is on its way either.
      return woken.length > 0 ? headStart(woken.map((waiter) => waiter.answered)) : null;
    }
    if (!this.#isWatched(key) || this.#latecomers.has(key)) return null;
    return this.#awaitLatecomer(key, at);
  }

  /** Waits LATE_WAIT_MS for an inspection of `key` that this exchange answers, then as `arrive` does. */
  async #awaitLatecomer(key: string, at: number): Promise<void> {
    // Settles with a list, not the promise itself, which `resolve` would adopt and wait for.
    const answered = await new Promise<Promise<void>[]>((resolve) => {
      const done = (answered: Promise<void>[]) => {
        clearTimeout(timer);
        this.#latecomers.delete(key);
        resolve(answered);
      };
      const timer = setTimeout(() => done([]), LATE_WAIT_MS);
      this.#latecomers.set(key, (after, answered) => {
        if (at > after) done([answered]);
      });
    });
    if (answered.length > 0) return headStart(answered);
    this.#watched.delete(key); // its inspector no longer asks ahead: the next page is not held
  }

  #watch(key: string): void {
    this.#watched.delete(key); // re-inserted last: the Map stays in order of last use
    this.#watched.set(key, Date.now());
    if (this.#watched.size > MAX_WATCHED) this.#watched.delete(this.#watched.keys().next().value ?? key);
  }

  #isWatched(key: string): boolean {
    const since = this.#watched.get(key);
    return since !== undefined && Date.now() - since < WATCHED_FOR_MS;
  }
}

/** Settles HEAD_START_MS after every `answered` has (or ANSWER_WAIT_MS has passed, if sooner). */
async function headStart(answered: Promise<void>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const capped = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ANSWER_WAIT_MS);
  });
  await Promise.race([Promise.all(answered), capped]);
  clearTimeout(timer);
  await new Promise<void>((resolve) => setTimeout(resolve, HEAD_START_MS));
}
