// A store from two functions, like the seed's `saveSessionData(sessionId, sessionData)` and
// `loadSessionData(sessionId)` (§16.7). `destroy` is optional: without it, the engine overwrites a
// destroyed session with an expired record, so it is never served again.
import type { SessionRecord, Store } from '../engine/types.ts';

export const CUSTOM_STORE = 'custom';

// #region functions
export interface CustomStoreFunctions {
  /** Called with the hashed id and the record to keep (JSON-safe). */
  save(id: string, record: SessionRecord): Promise<void> | void;
  /** Returns what `save` was given for this id, or null/undefined when there is none. */
  load(id: string): Promise<SessionRecord | null | undefined> | SessionRecord | null | undefined;
  destroy?(id: string): Promise<void> | void;
  /** Shown by the inspector in place of a store name. */
  name?: string;
}
// #endregion functions

export function customStore(functions: CustomStoreFunctions): Store {
  const store: Store = {
    name: functions.name ?? CUSTOM_STORE,
    async load(key) {
      return (await functions.load(key)) ?? null;
    },
    async save(key, record) {
      await functions.save(key, record);
    },
  };
  const destroy = functions.destroy;
  if (destroy) store.destroy = async (key) => destroy(key);
  return store;
}
