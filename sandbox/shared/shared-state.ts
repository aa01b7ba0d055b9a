// The site's own shared state about visitors' demo sessions: the inspector's last exchanges, the public
// rate limit's counters, the demos' crash/restart history. Not the demo sessions themselves (those are
// in the demo's store). In one process's memory by default; with several site instances behind a proxy
// it must live where every instance sees it, so SESSION_LAB_SHARED_URL selects Redis or PostgreSQL.
import type { JsonValue } from '../engine/types.ts';
import { redactUrl } from '../stores/locations.ts';

export const SHARED_ENV = 'SESSION_LAB_SHARED_URL';

export interface Count {
  /** Requests counted in this window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts over. */
  resetInMs: number;
}

export interface SharedState {
  /** Where it lives, safe to print: `memory`, or the URL with its password hidden. */
  readonly location: string;
  /** The value under `key`, or null when there is none or it has run out. */
  get(key: string): Promise<JsonValue | null>;
  /** Replaces the value under `key`; it is forgotten `ttlMs` later. */
  set(key: string, value: JsonValue, ttlMs: number): Promise<void>;
  /**
   * Adds one to the counter `key`, atomically across instances. A counter starts at 1 and lives `windowMs`
   * from that first count (later counts do not extend it): a fixed window.
   */
  increment(key: string, windowMs: number): Promise<Count>;
  /** Appends to the list `key`, which keeps its newest `keep` items and lives `ttlMs` past the last append. */
  append(key: string, value: JsonValue, keep: number, ttlMs: number): Promise<void>;
  /** The list `key`, oldest first; [] when there is none. */
  list(key: string): Promise<JsonValue[]>;
  /** Lets calls in flight finish, then lets go of the connection. */
  close(): Promise<void>;
}

/** A failed call to the shared store; says where and which variable to check. */
export class SharedStateUnavailableError extends Error {
  constructor(location: string, cause: unknown) {
    const error = cause as { message?: string; code?: string; name?: string } | undefined;
    // Connecting to `localhost` can fail with an AggregateError whose message is empty; the code is not.
    const reason = error?.message || error?.code || error?.name || String(cause);
    super(`[session-lab] shared state at ${location} failed: ${reason} (check ${SHARED_ENV})`, {
      cause,
    });
    this.name = 'SharedStateUnavailableError';
  }
}

// Keys are written into Redis key names and SQL values: short, printable, no spaces. The site's keys
// are variant paths (`counter/redis/std`), SHA-256 hashes and prefixes such as `rate:`.
const KEY_PATTERN = /^[A-Za-z0-9_:/.-]{1,200}$/;

export function checkSharedStateKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new TypeError(
      `[session-lab] a shared state key is 1 to 200 of A-Z a-z 0-9 _ : / . - (this one, length ${key.length}, is not)`,
    );
  }
}

/** Throws on a window, TTL or list size that is not a positive whole number. */
export function checkPositive(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`[session-lab] shared state ${what} must be a whole number ≥ 1, got ${value}`);
}

/** `memory` when unset; otherwise the URL's scheme picks the backend. Unknown schemes are refused. */
export function sharedBackendOf(url: string | undefined): 'memory' | 'redis' | 'postgres' {
  const text = url?.trim() ?? '';
  if (text === '' || text === 'memory') return 'memory';
  const scheme = /^([a-z]+):\/\//.exec(text)?.[1];
  if (scheme === 'redis' || scheme === 'rediss') return 'redis';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  throw new Error(
    `${SHARED_ENV} must be memory, redis://… or postgres://… (it is ${JSON.stringify(redactUrl(text))})`,
  );
}
