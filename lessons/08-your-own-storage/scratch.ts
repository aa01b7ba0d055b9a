// Each visitor's scratch databases for the seed-flaws demo: where the seed-faithful functions run, and the
// fixed ones beside them. Confinement, since the faithful side lets a visitor write SQL:
// - in memory (`:memory:`), one pair per visitor, never a file another visitor or process reaches;
// - found through a random key the server puts in the visitor's session (the session lives on the
//   server, its id in an HttpOnly cookie), never through a name the client chooses;
// - bounded: at most MAX_SCRATCHES visitors, MAX_PAGES pages of database each, MAX_ROWS rows in its
//   session table (more resets it). One idle for IDLE_MS is dropped; when all are taken, the least
//   recently used makes room, unless it was used in the last RECENT_MS: then the newcomer is told to
//   come back (RoomFullError), so no stranger's flood of new sessions resets a learner mid-demo;
// - reset on demand, and made afresh for a new session.
import { randomBytes } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { setImmediate as roundTrip } from 'node:timers/promises';
import type { Session } from '../../sandbox/engine/session.ts';
import type { Registry } from './revival.ts';
import { dump } from './revival.ts';
import { SEED_TABLE, type SeedFaithfulFunctions, seedFaithfulFunctions } from './seed-faithful.ts';
import { type SessionFunctions, sessionFunctions } from './session-functions.ts';
import { checkStatement } from './sql-fence.ts';

export const MAX_SCRATCHES = 100;
export const IDLE_MS = 30 * 60_000;
export const RECENT_MS = 5 * 60_000;
/** Pages of 4 KiB: each faithful scratch database stays under 128 KiB. */
export const MAX_PAGES = 32;
export const MAX_ROWS = 20;
/** The session key under which the visitor's scratch key is kept. */
export const SCRATCH_KEY = 'scratch';
/** The rows both tables start with: yours, and two made-up visitors of this scratch database. */
export const OWN_ID = 'you';
const SEEDED: Record<string, Record<string, unknown>> = {
  you: { note: 'hello' },
  alice: { user: 'alice', cart: 2 },
  bob: { user: 'bob', cart: 0 },
};
const HOUR = 3_600_000;

/** The seed stored its session as a pickled object; this is the object. */
export class StoredSession {
  constructor(fields: Record<string, unknown>) {
    // defineProperty, not assignment: a field named `__proto__` stays a plain field.
    for (const [key, value] of Object.entries(fields))
      Object.defineProperty(this, key, { value, enumerable: true, writable: true, configurable: true });
  }
}

export class OverBoundError extends Error {}

/** Every scratch database is taken and in recent use; `retryAfter` seconds until one may make room. */
export class RoomFullError extends Error {
  readonly retryAfter: number;
  constructor(retryAfter: number) {
    super('every scratch database is in use');
    this.retryAfter = retryAfter;
  }
}

/** One visitor's scratch: the seed-faithful database and the fixed one, side by side. */
export class Scratch {
  readonly db: DatabaseSync;
  readonly fixed: SessionFunctions;
  readonly registry: Registry;
  readonly seed: SeedFaithfulFunctions;
  lastUsed: number;

  constructor(usedAt = Date.now()) {
    this.lastUsed = usedAt;
    this.db = new DatabaseSync(':memory:');
    this.db.exec('PRAGMA page_size = 4096');
    this.db.exec(`PRAGMA max_page_count = ${MAX_PAGES}`);
    this.db.exec(SEED_TABLE);
    this.db.exec('create table accounts (name text, password_hash text)');
    const db = this.db;
    // #region gadget
    // A gadget: a class some code registered for its own reasons, which does something when built.
    // It wipes this visitor's scratch session table, and nothing else: it takes no input at all.
    class Wipe {
      constructor() {
        db.exec('delete from session_data');
      }
    }
    // #endregion gadget
    this.registry = { Session: StoredSession, Wipe };
    this.seed = seedFaithfulFunctions((sql) => this.#query(sql), this.registry, StoredSession);
    const insertSeed = this.db.prepare('insert into session_data values (?, ?)');
    for (const [id, data] of Object.entries(SEEDED))
      insertSeed.run(id, dump(new StoredSession(data), this.registry));
    const insertAccount = this.db.prepare('insert into accounts values (?, ?)');
    for (const name of ['admin', 'alice']) insertAccount.run(name, fakeHash());

    this.fixed = sessionFunctions(':memory:');
    const now = Date.now();
    for (const [id, data] of Object.entries(SEEDED))
      this.fixed.saveSessionData(id, { data: data as never, createdAt: now, expiresAt: now + HOUR });
  }

  /** The faithful side's `myDb.query`: the fence, the statement, then a round trip's wait. */
  async #query(sql: string): Promise<Record<string, unknown>[]> {
    checkStatement(sql);
    const rows = this.db.prepare(sql).all() as Record<string, unknown>[];
    if (this.rowCount() > MAX_ROWS)
      throw new OverBoundError(`the scratch session table passed ${MAX_ROWS} rows`);
    await roundTrip();
    return rows;
  }

  rowCount(): number {
    return Number((this.db.prepare('select count(*) as n from session_data').get() as { n: number }).n);
  }

  /** The faithful table as stored, for the page (read with a fixed statement, never built from input). */
  seedRows(): { sessionId: string; sessionData: string }[] {
    return this.db.prepare('select sessionId, sessionData from session_data').all() as never;
  }

  accounts(): { name: string; password_hash: string }[] {
    return this.db.prepare('select name, password_hash from accounts').all() as never;
  }

  /** Writes the stored text of your own row, as someone with write access to the table would. */
  writeOwnRow(text: string): void {
    this.db.prepare('delete from session_data where sessionId = ?').run(OWN_ID);
    this.db.prepare('insert into session_data values (?, ?)').run(OWN_ID, text);
  }

  close(): void {
    this.db.close();
    this.fixed.close();
  }
}

/** A made-up password hash, different in every scratch database. */
function fakeHash(): string {
  return `scrypt$${randomBytes(8).toString('hex')}$${randomBytes(16).toString('hex')}`;
}

/** Every visitor's scratch, found by the key in their session. */
export class ScratchRoom {
  readonly #scratches = new Map<string, Scratch>();
  readonly #limit: number;
  readonly #now: () => number;

  constructor(limit = MAX_SCRATCHES, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  get size(): number {
    return this.#scratches.size;
  }

  /** The visitor's scratch; a fresh one (under a fresh key) when they have none or it was let go. */
  for(session: Session): Scratch {
    this.#sweep();
    const key = session.get(SCRATCH_KEY);
    const found = typeof key === 'string' ? this.#scratches.get(key) : undefined;
    if (found && typeof key === 'string') {
      // Most recently used last: the Map's order is the eviction order.
      this.#scratches.delete(key);
      this.#scratches.set(key, found);
      found.lastUsed = this.#now();
      return found;
    }
    return this.#create(session);
  }

  /** Drops the visitor's scratch and gives them a fresh one. */
  reset(session: Session): Scratch {
    const key = session.get(SCRATCH_KEY);
    if (typeof key === 'string') this.#drop(key);
    return this.#create(session);
  }

  close(): void {
    for (const key of [...this.#scratches.keys()]) this.#drop(key);
  }

  #create(session: Session): Scratch {
    if (this.#scratches.size >= this.#limit) {
      const [oldestKey, oldest] = this.#scratches.entries().next().value ?? [];
      const wait = oldest ? oldest.lastUsed + RECENT_MS - this.#now() : 0;
      if (wait > 0) throw new RoomFullError(Math.ceil(wait / 1000));
      if (oldestKey) this.#drop(oldestKey);
    }
    const key = randomBytes(24).toString('base64url');
    const scratch = new Scratch(this.#now());
    this.#scratches.set(key, scratch);
    session.set(SCRATCH_KEY, key);
    return scratch;
  }

  #sweep(): void {
    const cutoff = this.#now() - IDLE_MS;
    for (const [key, scratch] of this.#scratches) if (scratch.lastUsed < cutoff) this.#drop(key);
  }

  #drop(key: string): void {
    this.#scratches.get(key)?.close();
    this.#scratches.delete(key);
  }
}
