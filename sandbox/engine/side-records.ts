// Records an app keeps beside its sessions (the login app's accounts and the index of each account's
// sessions), and a way to end a session that is not the one in hand. It is the one capability apps
// get on top of the store: never the raw store, so an app cannot read or overwrite a session by key.
//
// - A record's key is hashId of `side:<app's name for it>`: a session key is hashId of a well-formed
//   id (43 base64url characters, no `:`), so the two can never meet short of a SHA-256 collision.
// - Every store takes the records as it takes sessions (a `SessionRecord` with an expiry, swept and
//   trimmed like one), so one implementation serves ram, file, sqlite, postgres, mysql and redis.
// - The cookie store keeps its sessions in each browser: there is nothing on the server to hold a
//   record or to end. Its records live in the store it names for them (`Store.sideStore`, a bounded
//   RAM store in this process) and `serverSide` is false, so an app can say why "end the others"
//   cannot work there.
import { hashId } from './ids.ts';
import type { JsonValue, Release, Store } from './types.ts';

export interface SideRecords {
  /** False with the cookie store: sessions live in browsers, so `endSession` cannot reach them. */
  readonly serverSide: boolean;
  /** The store key of a session id, as the index of an account's sessions files it. */
  sessionKey(id: string): string;
  /** The record's value, or null when there is none or it has expired. */
  read(name: string): Promise<JsonValue | null>;
  /** The record as the store holds it (its text), for a page that shows what is stored. */
  raw(name: string): Promise<string | null>;
  /**
   * Reads, changes and saves one record under the engine's lock for its key, so two requests never
   * overwrite each other's change. `change` returns the new value and how long it may live, or null
   * to delete the record. Don't take another record's lock inside `change`.
   */
  update(name: string, change: (current: JsonValue | null) => Kept | null): Promise<JsonValue | null>;
  /**
   * Deletes the session filed under `key` (from `sessionKey`). Not under its lock: a request of that
   * session in flight may save it again, so an app that ends sessions must also check its own index.
   * Returns false when the store keeps sessions in browsers (nothing to delete).
   */
  endSession(key: string): Promise<boolean>;
  /**
   * Whether the session filed under `key` still has a live record, so an index can drop the ones that
   * expired by themselves; undefined when the store keeps sessions in browsers (it cannot know).
   */
  sessionLive(key: string): Promise<boolean | undefined>;
}

export interface Kept {
  value: JsonValue;
  /** Milliseconds from now until the store may drop it. */
  ttlMs: number;
}

interface Plumbing {
  /** The engine's lock for a key (its in-process mutex, and the store's own where it has one). */
  lock(key: string): Promise<Release>;
  /** Runs a store call under the engine's deadline. */
  call<T>(work: Promise<T>): Promise<T>;
}

/** Nothing here reads or writes cookies: the stores that keep records on the server ignore them. */
const NO_COOKIES = {
  secure: false,
  get: () => undefined,
  set: () => {},
  delete: () => {},
};

export function sideRecords(store: Store, plumbing: Plumbing): SideRecords {
  const serverSide = store.sideStore === undefined;
  const holder = (): Store => store.sideStore ?? store;
  const keyOf = (name: string) => hashId(`side:${name}`);
  const load = async (name: string) => {
    const record = await plumbing.call(holder().load(keyOf(name), NO_COOKIES));
    return record && record.expiresAt > Date.now() ? record : null;
  };
  return {
    serverSide,
    sessionKey: hashId,
    async read(name) {
      return (await load(name))?.data.value ?? null;
    },
    async raw(name) {
      const key = keyOf(name);
      const inspect = holder().inspect;
      if (inspect) return (await plumbing.call(inspect.call(holder(), key, NO_COOKIES)))?.raw ?? null;
      const record = await load(name);
      return record ? JSON.stringify(record.data) : null;
    },
    async update(name, change) {
      const key = keyOf(name);
      const release = await plumbing.lock(key);
      try {
        const current = await load(name);
        const next = change(current?.data.value ?? null);
        const now = Date.now();
        if (next === null) {
          if (current) await plumbing.call(forget(holder(), key));
          return null;
        }
        const record = {
          data: { value: next.value },
          createdAt: current?.createdAt ?? now,
          expiresAt: now + next.ttlMs,
        };
        await plumbing.call(holder().save(key, record, NO_COOKIES));
        return next.value;
      } finally {
        await release();
      }
    },
    async endSession(key) {
      if (!serverSide) return false;
      await plumbing.call(forget(store, key));
      return true;
    },
    async sessionLive(key) {
      if (!serverSide) return undefined;
      const record = await plumbing.call(store.load(key, NO_COOKIES));
      return record !== null && record.expiresAt > Date.now();
    },
  };
}

function forget(store: Store, key: string): Promise<void> {
  if (store.destroy) return store.destroy(key, NO_COOKIES);
  return store.save(key, { data: {}, createdAt: 0, expiresAt: 0 }, NO_COOKIES);
}
