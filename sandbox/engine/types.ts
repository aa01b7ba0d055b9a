// The shapes every part of the engine agrees on. Pure types: no runtime code lives here.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What an app stores in a session: string keys, JSON values. */
export type SessionData = Record<string, JsonValue>;

/** One session as a store keeps it. Times are milliseconds since the epoch. */
export interface SessionRecord {
  data: SessionData;
  createdAt: number;
  /** The earlier of the idle deadline and the absolute deadline; never served after it. */
  expiresAt: number;
}

/** Cookies going out on the response, as the engine will write them. */
export interface SetCookie {
  name: string;
  value: string;
  path?: string;
  maxAgeSeconds?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

/**
 * Per-request access to cookies. Only the cookie store needs it (its data travels in a cookie);
 * server-side stores ignore it.
 */
export interface RequestCookies {
  /** True when the request came over https, so cookies set now may be Secure. */
  readonly secure: boolean;
  get(name: string): string | undefined;
  set(cookie: SetCookie): void;
  /** Tells the client to drop the cookie (the Path must match the one it was set with). */
  delete(name: string, path?: string): void;
  /** What this response sets under `name` so far, if anything: a later write replaces it. */
  outgoing?(name: string): SetCookie | undefined;
}

/** A store's record as it really sits in the store, for the inspector. */
export interface StoredView {
  store: string;
  /** Where it lives: a file path, `table session_data`, a Redis key, `cookie sl_data`. */
  location: string;
  /** The bytes as stored (text), so a learner sees exactly what the store holds. */
  raw: string;
  bytes: number;
  /** Seconds until the store itself drops it (Redis TTL), when the store knows. */
  ttlSeconds?: number;
  /** Store-specific facts: a decoded cookie payload, its signature status, a SQL row. */
  details?: Record<string, JsonValue>;
}

/** Releases a lock. Always called, even when the app throws. */
export type Release = () => Promise<void>;

/**
 * The one store interface. Keys are SHA-256 hashes of session ids (base64url), never raw ids,
 * so a store never holds a usable token and a client can never steer a key.
 * Only `load` and `save` are required: the seed's `loadSessionData` / `saveSessionData` pair is a
 * valid store. Everything else is optional and detected by presence.
 */
export interface Store {
  readonly name: string;
  /**
   * Where the records apps keep beside sessions live when this store keeps sessions in browsers (the
   * cookie store): a store in this process. Server-side stores keep them themselves (side-records.ts).
   */
  readonly sideStore?: Store;
  load(key: string, cookies: RequestCookies): Promise<SessionRecord | null>;
  save(key: string, record: SessionRecord, cookies: RequestCookies): Promise<void>;
  destroy?(key: string, cookies: RequestCookies): Promise<void>;
  /** Deletes every record whose `expiresAt` is at or before `now`; returns how many went. */
  sweep?(now: number): Promise<number>;
  /**
   * Deletes records, those closest to expiry first, until at most `max` remain; returns how many went.
   * A cap on a store many apps share (the public site's demos, site/lib/lab/demo-sweeper.ts); a record
   * in use is saved again by its request, so the cap holds between trims only as well as it is run.
   */
  trim?(max: number): Promise<number>;
  inspect?(key: string, cookies: RequestCookies): Promise<StoredView | null>;
  /** A lock that other processes sharing this store also respect. */
  lock?(key: string): Promise<Release>;
  /** Flushes anything buffered and closes connections. */
  close?(): Promise<void>;
}
