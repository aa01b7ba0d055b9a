// The shared state of one process (the default): right for a single site instance, and the fallback of
// the shared ones while their server is down. Bounded: past `maxEntries` keys of a kind, the oldest go.
import type { JsonValue } from '../engine/types.ts';
import { type Count, checkPositive, checkSharedStateKey, type SharedState } from './shared-state.ts';

export interface MemorySharedStateOptions {
  /** Most keys of each kind (values, counters, lists) kept at once (default 50 000). */
  maxEntries?: number;
  /** The clock, for tests (default `Date.now`). */
  now?: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** A Map whose entries run out, and whose oldest entries go first once it is full. */
class ExpiringMap<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string, now: number): Entry<T> | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
  set(key: string, entry: Entry<T>): void {
    this.#entries.delete(key); // re-inserted last: the newest
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

// Values are stored as JSON text, so a caller never shares (and cannot later mutate) what it stored,
// just as with the shared stores.
export function memorySharedState({
  maxEntries = 50_000,
  now = Date.now,
}: MemorySharedStateOptions = {}): SharedState {
  const values = new ExpiringMap<string>(maxEntries);
  const counters = new ExpiringMap<number>(maxEntries);
  const lists = new ExpiringMap<string[]>(maxEntries);
  return {
    location: 'memory',
    async get(key) {
      checkSharedStateKey(key);
      const entry = values.get(key, now());
      return entry ? (JSON.parse(entry.value) as JsonValue) : null;
    },
    async set(key, value, ttlMs) {
      checkSharedStateKey(key);
      checkPositive('TTL', ttlMs);
      values.set(key, { value: JSON.stringify(value), expiresAt: now() + ttlMs });
    },
    async increment(key, windowMs): Promise<Count> {
      checkSharedStateKey(key);
      checkPositive('window', windowMs);
      const at = now();
      const entry = counters.get(key, at);
      if (entry) {
        entry.value++;
        return { count: entry.value, resetInMs: entry.expiresAt - at };
      }
      counters.set(key, { value: 1, expiresAt: at + windowMs });
      return { count: 1, resetInMs: windowMs };
    },
    async append(key, value, keep, ttlMs) {
      checkSharedStateKey(key);
      checkPositive('list size', keep);
      checkPositive('TTL', ttlMs);
      const at = now();
      const items = [...(lists.get(key, at)?.value ?? []), JSON.stringify(value)].slice(-keep);
      lists.set(key, { value: items, expiresAt: at + ttlMs });
    },
    async list(key) {
      checkSharedStateKey(key);
      return (lists.get(key, now())?.value ?? []).map((item) => JSON.parse(item) as JsonValue);
    },
    async close() {},
  };
}
