// What the three SQL stores (sqlite, postgres, mysql) share: the table-name check, the row ↔ record
// mapping, the sweep, the inspector's view, error wrapping, and the lease lock (Redis and file use it too).
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
// live (`sweepSql`): a request holding it may still serve it. Times come from this process's clock, like
// the sessions' own `expires_at`; servers sharing a database need synchronised clocks (NTP). A lease only
// guards a request in flight, so it need not reach the disk: PostgreSQL keeps leases in an UNLOGGED
// table and MySQL in a MEMORY one, which spares each request two flushed commits. A database crash (for
// MySQL, any restart) forgets them; that matters only to a request that outlasts the outage.
// #endregion lease
import { randomBytes } from 'node:crypto';
import { LockTimeoutError, StoreUnavailableError } from '../engine/errors.ts';
import { LEASE_MS, LEASE_RENEW_MS } from '../engine/locks.ts';
import type { JsonValue, Release, SessionData, SessionRecord, StoredView } from '../engine/types.ts';
import { redactUrl, SERVER_DEFAULTS, type ServerKind } from './locations.ts';

export interface SqlStoreOptions {
  /** Seconds `lock()` keeps trying before it throws LockTimeoutError. */
  lockTimeoutSeconds: number;
  /** Table name; `<table>_locks` holds the leases. Default `session_data` (seed §16.7). */
  table?: string;
  /** Milliseconds a lease lives unless renewed (default `LEASE_MS`); tests shorten it. */
  leaseMs?: number;
}

export const DEFAULT_TABLE = 'session_data';
const FIRST_RETRY_MS = 1;
const MAX_RETRY_MS = 20;

// Table names are spliced into SQL text, which placeholders cannot hold, so only this pattern gets in.
// It is the house identifier rule, shortened to 48 characters so `<table>_locks` and `<table>_expires_idx`
// stay within PostgreSQL's 63-byte limit: longer names are silently truncated there and could collide.
const TABLE_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;
/** A SHA-256 hash in base64url (engine/ids.ts `hashId`): the only key a store accepts, never a raw id. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function checkTable(store: string, table: string = DEFAULT_TABLE): string {
  if (!TABLE_PATTERN.test(table)) {
    throw new TypeError(
      `[session-lab] [${store}] table ${JSON.stringify(table)} is not allowed: use lowercase letters, digits and _ (at most 48, not starting with a digit)`,
    );
  }
  return table;
}

export function checkKey(store: string, key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new TypeError(
      `[session-lab] [${store}] a key must be 43 base64url characters (a SHA-256 hash from hashId); this one (length ${key.length}) is not`,
    );
  }
}

/** The row as every dialect names it. Drivers return BIGINT as number (sqlite, mysql2) or string (pg). */
export interface SessionRow {
  id_hash: string;
  data: string;
  created_at: number | string | bigint;
  expires_at: number | string | bigint;
}

/** Parameters for the save UPSERT: key, data JSON, created_at, expires_at. */
export function toParams(key: string, record: SessionRecord): [string, string, number, number] {
  // BIGINT columns reject fractions (pg errors, mysql rounds); `now + 0.1 min` can carry one.
  // Flooring expires_at can only end a session earlier, never serve it late.
  return [key, JSON.stringify(record.data), Math.floor(record.createdAt), Math.floor(record.expiresAt)];
}

/** The record a row holds, or null when its data is not a JSON object: a hand-edited or torn row is a
 * missing session, never a 500. */
export function toRecord(row: SessionRow | undefined | null): SessionRecord | null {
  if (!row) return null;
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  return { data: data as SessionData, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) };
}

/**
 * The sweep every SQL store runs, with its dialect's two placeholders (both get `now`): expired rows go,
 * except one whose lease is live, since the request holding it loaded it and may still save it. The
 * same test as the lease's take: a lease is live while `expires_at >= now`.
 */
export function sweepSql(table: string, [now, leaseNow]: [string, string]): string {
  return `DELETE FROM ${table} WHERE expires_at <= ${now} AND NOT EXISTS (
    SELECT 1 FROM ${table}_locks l WHERE l.id_hash = ${table}.id_hash AND l.expires_at >= ${leaseNow})`;
}

/** `table session_data in test (postgres://user:***@host/test)`: where the inspector says the row lives. */
export function serverLocation(table: string, url: string): string {
  let database = 'the configured database';
  try {
    database = decodeURIComponent(new URL(url).pathname.slice(1)) || 'the default database';
  } catch {}
  return `table ${table} in ${database} (${redactUrl(url)})`;
}

/** The inspector's view: the row exactly as the driver returned it, plus the SELECT that read it. */
export function toStoredView(store: string, location: string, row: object, sql: string): StoredView {
  const plain: Record<string, JsonValue> = {};
  for (const [column, value] of Object.entries(row)) {
    plain[column] = typeof value === 'bigint' ? value.toString() : (value as JsonValue);
  }
  const raw = JSON.stringify(plain);
  return { store, location, raw, bytes: Buffer.byteLength(raw), details: { row: plain, sql } };
}

/** Turns any driver failure into the 503 the engine renders, naming the place (`what`: a path or a
 * redacted URL) and the variable to set. */
export function unavailable(kind: ServerKind, what: string, cause: unknown): StoreUnavailableError {
  const error = cause as { message?: string; code?: string; name?: string } | undefined;
  // Connecting to `localhost` can fail with an AggregateError whose message is empty; the code is not.
  const reason = error?.message || error?.code || error?.name || String(cause);
  const names = { postgres: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', redis: 'Redis' } as const;
  const start = kind === 'sqlite' ? 'Check that the directory is writable' : `Start ${names[kind]}`;
  const hint = `${start} or set ${SERVER_DEFAULTS[kind].env}`;
  return new StoreUnavailableError(kind, `${what}: ${reason}`, hint, { cause });
}

/** Wraps each call so a failure always surfaces as StoreUnavailableError; our own errors pass through. */
export async function guarded<T>(kind: ServerKind, what: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LockTimeoutError || error instanceof StoreUnavailableError) throw error;
    throw unavailable(kind, what, error);
  }
}

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
