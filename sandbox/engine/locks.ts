// One request per session at a time in this process: a queue per key, removed when empty.
import { LockTimeoutError } from './errors.ts';
import type { Release } from './types.ts';

export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  // #region queue
  /** Waits for the requests ahead on this key, then holds the key until `release()` is called. */
  async acquire(key: string, timeoutSeconds: number): Promise<Release> {
    const ahead = this.#tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = ahead ? ahead.then(() => mine) : mine;
    this.#tails.set(key, tail);
    // #endregion queue
    // The key is forgotten when the tail settles (everyone ahead done, and us), never at our release:
    // a waiter that timed out releases early while the holder ahead still runs, and a newcomer must
    // still queue behind that holder instead of finding the key free (cherrypy#1391: two holders).
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    const done = async () => {
      release();
    };
    if (ahead) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
      });
      // #region wait
      const outcome = await Promise.race([ahead.then(() => 'ready' as const), timedOut]);
      // #endregion wait
      clearTimeout(timer);
      if (outcome === 'timeout') {
        // Give our place up: whoever queued behind us must not wait for a request that never ran.
        await done();
        throw new LockTimeoutError(timeoutSeconds);
      }
    }
    return done;
  }

  /** How many keys are held or waited for (for tests and the inspector). */
  get size(): number {
    return this.#tails.size;
  }
}

/**
 * How long a store's cross-process lease (lease-lock.ts `leaseLock`: SQL, Redis, file) lives unless
 * its holder renews it. A request renews its lease every `LEASE_RENEW_MS` while it runs, so it keeps
 * the lock however long it takes; a process killed mid-request stops renewing, and its sessions are
 * free again within this time. config.ts asks for a `lockTimeout` longer than this, so a request that
 * queued behind a dead holder gets the lock instead of a 503.
 */
export const LEASE_MS = 5_000;
/** A held lease is renewed this often: three tries before it could lapse. */
export const LEASE_RENEW_MS = 1_500;
