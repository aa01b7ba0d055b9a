// RAM: a Map in this process. The fastest store, and the most forgetful: each process has its own,
// a restart empties it, and it must be bounded (expressjs/session#284: an unswept MemoryStore leaks).
// Records are kept as JSON text, like every other store, so an app cannot keep a live reference.
// When full, the least recently used session makes room, but never one used in the last
// RECENT_USE_MS: a flood of new visitors must not push out someone who is using the site. The flood
// gets a 503 with Retry-After instead (StoreFullError).
import { StoreFullError } from '../engine/errors.ts';
import type { SessionRecord, Store } from '../engine/types.ts';

export const RAM_STORE = 'ram';

/** A session used (loaded or saved) this recently is never dropped to make room for a new one. */
export const RECENT_USE_MS = 5 * 60_000;

export interface RamStoreOptions {
  /** Most sessions kept; the least recently used are dropped first, if not used in the last RECENT_USE_MS. */
  maxSessions: number;
}

interface Entry {
  json: string;
  expiresAt: number;
  usedAt: number;
}

// #region store
export function ramStore({ maxSessions }: RamStoreOptions): Store {
  // Map keeps insertion order; re-inserting on use makes the first key the least recently used.
  const records = new Map<string, Entry>();
  const touch = (key: string, entry: Entry) => {
    records.delete(key);
    records.set(key, entry);
  };
  /** Drops the least recently used sessions until one more fits; refuses if they are all in use. */
  const makeRoom = (now: number) => {
    while (records.size >= maxSessions) {
      const [oldestKey, oldest] = records.entries().next().value as [string, Entry];
      if (oldest.expiresAt > now && oldest.usedAt > now - RECENT_USE_MS) {
        const seconds = Math.max(1, Math.ceil((oldest.usedAt + RECENT_USE_MS - now) / 1000));
        throw new StoreFullError(RAM_STORE, maxSessions, RECENT_USE_MS / 60_000, seconds);
      }
      records.delete(oldestKey);
    }
  };
  return {
    name: RAM_STORE,
    async load(key) {
      const entry = records.get(key);
      if (entry === undefined) return null;
      entry.usedAt = Date.now();
      touch(key, entry);
      return JSON.parse(entry.json) as SessionRecord;
    },
    async save(key, record) {
      const now = Date.now();
      if (!records.has(key)) makeRoom(now);
      touch(key, { json: JSON.stringify(record), expiresAt: record.expiresAt, usedAt: now });
    },
    // #endregion store
    async destroy(key) {
      records.delete(key);
    },
    // #region sweep
    async sweep(now) {
      let removed = 0;
      for (const [key, entry] of records) {
        if (entry.expiresAt <= now) {
          records.delete(key);
          removed++;
        }
      }
      return removed;
    },
    // #endregion sweep
    async inspect(key) {
      const entry = records.get(key);
      if (entry === undefined) return null;
      return {
        store: RAM_STORE,
        location: `a Map in process ${process.pid} (${records.size} of at most ${maxSessions} sessions)`,
        raw: entry.json,
        bytes: Buffer.byteLength(entry.json),
      };
    },
  };
}
