// RAM: a Map in this process. The fastest store, and the most forgetful: each process has its own,
// a restart empties it, and it must be bounded (expressjs/session#284: an unswept MemoryStore leaks).
// Records are kept as JSON text, like every other store, so an app cannot keep a live reference.
import type { SessionRecord, Store } from '../engine/types.ts';

export const RAM_STORE = 'ram';

export interface RamStoreOptions {
  /** Most sessions kept; the least recently used are dropped first. */
  maxSessions: number;
}

export function ramStore({ maxSessions }: RamStoreOptions): Store {
  // Map keeps insertion order; re-inserting on use makes the first key the least recently used.
  const records = new Map<string, string>();
  const touch = (key: string, json: string) => {
    records.delete(key);
    records.set(key, json);
  };
  return {
    name: RAM_STORE,
    async load(key) {
      const json = records.get(key);
      if (json === undefined) return null;
      touch(key, json);
      return JSON.parse(json) as SessionRecord;
    },
    async save(key, record) {
      touch(key, JSON.stringify(record));
      while (records.size > maxSessions) records.delete(records.keys().next().value as string);
    },
    async destroy(key) {
      records.delete(key);
    },
    async sweep(now) {
      let removed = 0;
      for (const [key, json] of records) {
        if ((JSON.parse(json) as SessionRecord).expiresAt <= now) {
          records.delete(key);
          removed++;
        }
      }
      return removed;
    },
    async inspect(key) {
      const json = records.get(key);
      if (json === undefined) return null;
      return {
        store: RAM_STORE,
        location: `a Map in process ${process.pid} (${records.size} of at most ${maxSessions} sessions)`,
        raw: json,
        bytes: Buffer.byteLength(json),
      };
    },
  };
}
