// The lease lock every cross-process lock uses (the SQL stores, Redis, the file store): the retry loop
// around an atomic take, and the timer that renews the lease while its request runs.
//
// #region lease
// The lease lock, in one paragraph (lessons quote it): a second table `<table>_locks(id_hash, owner,
// expires_at)` holds at most one lease per session. To take it, a process runs ONE atomic statement:
// insert a row with a random owner token and `expires_at = now + 5 s`, or, if a row exists whose lease
// has already run out, overwrite it (an UPSERT whose UPDATE only fires `WHERE expires_at < now`). The
// database tells us whether a row was written; if not, someone else holds a live lease, and we try again
// after 1 ms, 2 ms, 4 ms … at most 20 ms, until `lockTimeout` → LockTimeoutError. While the request
// runs, a timer renews the lease every 1.5 s (`UPDATE … WHERE id_hash = ? AND owner = ? AND expires_at
// >= now`: a lease that ran out is lost, never brought back), so a request of any length keeps its lock,
// and a process killed mid-request blocks its sessions for at most 5 s, not forever (the stale lock
// files of cherrypy#604 and #1122). Release stops the timer and deletes the row
// only `WHERE id_hash = ? AND owner = ?`, so a request whose lease was taken over (its process stalled
// past the lease) cannot free the new holder's lock. The sweep never deletes a session whose lease is
// live (the sweep in `sql-store.ts`): a request holding it may still serve it. Times come from this process's clock, like
// the sessions' own `expires_at`; servers sharing a database need synchronised clocks (NTP). A lease only
// guards a request in flight, so it need not reach the disk: PostgreSQL keeps leases in an UNLOGGED
// table and MySQL in a MEMORY one, which spares each request two flushed commits. A database crash (for
// MySQL, any restart) forgets them; that matters only to a request that outlasts the outage.
// #endregion lease
import { randomBytes } from 'node:crypto';
import { LockTimeoutError } from '../engine/errors.ts';
import { LEASE_MS, LEASE_RENEW_MS } from '../engine/locks.ts';
import type { Release } from '../engine/types.ts';

const FIRST_RETRY_MS = 1;
const MAX_RETRY_MS = 20;

export interface LeaseOps {
  /** Runs the atomic insert-or-take-over; true when this owner now holds the lease. */
  take(key: string, owner: string, now: number, until: number): Promise<boolean>;
  /**
   * Moves the lease on to `until` only if this owner still holds it and it has not run out; false
   * otherwise. A lapsed lease is lost, as a dead holder's would be: renewing it would bring back a lease
   * another process may already be waiting to take.
   */
  renew(key: string, owner: string, until: number): Promise<boolean>;
  /** Deletes the lease only if this owner still holds it. */
  give(key: string, owner: string): Promise<void>;
}

export interface LeaseLock {
  /** Takes the lease of `key`, waiting up to the lock timeout; renews it until the Release is called. */
  lock(key: string): Promise<Release>;
  /** Stops renewing every lease this store holds (its close): they lapse as a dead process's would. */
  close(): void;
}

/** At most this many leases are remembered as not given back; each runs out within a lease anyway. */
const MAX_UNRETURNED = 10_000;

/**
 * A store's lease lock: the retry loop around `take` and the renewal timer described at the top of this
 * file. A lease whose `give` failed (the server was gone at that moment) is remembered, and given back
 * before this process locks that session again; otherwise the session would wait for the lease to run
 * out after the server came back. Safe because the engine's in-process lock lets one request per
 * session at a time reach this point, and `give` only deletes a lease this owner still holds.
 */
export function leaseLock(ops: LeaseOps, timeoutSeconds: number, leaseMs: number = LEASE_MS): LeaseLock {
  const renewMs = Math.max(1, Math.round(leaseMs * (LEASE_RENEW_MS / LEASE_MS)));
  const renewing = new Set<NodeJS.Timeout>();
  const unreturned = new Map<string, { owner: string; until: number }>();
  const remember = (key: string, owner: string, until: number) => {
    if (unreturned.size >= MAX_UNRETURNED) {
      const now = Date.now();
      for (const [k, lease] of unreturned) if (lease.until <= now) unreturned.delete(k);
      // Still full: forget the oldest, which costs that session a wait, never a second holder.
      if (unreturned.size >= MAX_UNRETURNED) unreturned.delete(unreturned.keys().next().value as string);
    }
    unreturned.set(key, { owner, until });
  };

  /** Renews one lease until stopped; a renewal that fails (server away) is retried at the next tick. */
  const keepRenewing = (key: string, owner: string, lease: { until: number }): (() => void) => {
    let [busy, stopped] = [false, false];
    const renew = async () => {
      if (busy || stopped) return;
      busy = true;
      const until = Date.now() + leaseMs;
      try {
        const held = await ops.renew(key, owner, until);
        if (stopped) return; // released meanwhile: the release gave the lease back
        if (held) lease.until = until;
        else {
          // Taken over: this process stalled past the lease (or the database forgot it). The request
          // still finishes; its release frees nothing of the new holder's.
          stop();
          console.warn(`[session-lab] a session's lock lease lapsed while its request ran`);
        }
      } catch {
        // The server is away: try again at the next tick; the lease lapses if it stays away.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(renew, renewMs);
    // A timer never keeps a process alive by itself: a request in flight does.
    timer.unref();
    renewing.add(timer);
    const stop = () => {
      stopped = true;
      clearInterval(timer);
      renewing.delete(timer);
    };
    return stop;
  };

  const lock = async (key: string): Promise<Release> => {
    const stuck = unreturned.get(key);
    if (stuck) {
      // Throws while the server is still gone; the lease stays remembered for the next try.
      if (stuck.until > Date.now()) await ops.give(key, stuck.owner);
      unreturned.delete(key);
    }
    const owner = randomBytes(16).toString('base64url');
    const deadline = Date.now() + timeoutSeconds * 1000;
    let wait = FIRST_RETRY_MS;
    const lease = { until: 0 };
    for (;;) {
      const now = Date.now();
      lease.until = now + leaseMs;
      if (await ops.take(key, owner, now, lease.until)) break;
      if (Date.now() + wait > deadline) throw new LockTimeoutError(timeoutSeconds);
      // Jitter keeps several waiting processes from retrying in lockstep.
      await new Promise((resolve) => setTimeout(resolve, wait * (0.5 + Math.random() / 2)));
      wait = Math.min(wait * 2, MAX_RETRY_MS);
    }
    const stop = keepRenewing(key, owner, lease);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      stop();
      try {
        await ops.give(key, owner);
      } catch (error) {
        remember(key, owner, lease.until);
        throw error;
      }
    };
  };

  return {
    lock,
    close() {
      for (const timer of renewing) clearInterval(timer);
      renewing.clear();
    },
  };
}
