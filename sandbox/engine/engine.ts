// The engine wraps an app: request → transport (which id?) → store (which data?) → app → store →
// transport → response. Apps are web-standard handlers, so the same app runs in node:http, inside
// the Astro site and in tests without a socket.

import type { SessionConfig, UnsafeFlaw } from './config.ts';
import { CookieJar } from './cookie-jar.ts';
import { type CookieValues, parseCookieHeader } from './cookies.ts';
import { CrossSiteRequestError, crossSiteSource } from './cross-site.ts';
import { StoreDeadlines } from './deadlines.ts';
import { SessionTooLargeError, StoreUnavailableError, withoutLocation, withTimeout } from './errors.ts';
import { requestIsHttps } from './https.ts';
import { hashId, isWellFormedId } from './ids.ts';
import { KeyedMutex } from './locks.ts';
import { errorPage } from './pages.ts';
import { readableByScripts } from './readable-flaw.ts';
import { Session } from './session.ts';
import { type SideRecords, sideRecords } from './side-records.ts';
import type { Transport } from './transport.ts';
import type { Release, SessionRecord, Store, StoredView } from './types.ts';

export interface AppContext {
  /** The path the app is mounted at, ending in `/`: build links as `${base}page2`. */
  base: string;
  /** The store's name, for apps that show it. */
  store: string;
  /** Records beside the sessions (an app's accounts, an index of sessions) and ending another session: side-records.ts. */
  records: SideRecords;
  /** The demo flaws switched on (config `unsafeDemoFlaws`); apps honour their own (`keep-id-at-sign-in`). */
  unsafe: ReadonlySet<UnsafeFlaw>;
}

/** The one app signature, shared by the site, the sandbox and the tests. */
export type App = (request: Request, session: Session, context: AppContext) => Response | Promise<Response>;

/**
 * Why the client's id was not used; shown by the inspector, never to the app. `adopted`: it was unknown
 * and became the new session's id anyway (the `adopt-client-ids` demo flaw).
 */
export type Rejection = 'none' | 'malformed' | 'unknown' | 'expired' | 'adopted';

/** One request the engine served, as it tells `EngineOptions.onExchange` (the inspector) once it is done. */
export interface ServedExchange {
  /** When the response was ready, in milliseconds since the epoch. */
  at: number;
  method: string;
  url: URL;
  status: number;
  /** The request's Cookie header as it came. */
  cookieHeader: string | null;
  /** The store key of the session the client holds afterwards (kept, new or regenerated), if any. */
  sessionKey: string | undefined;
  /** The store key of the id the request came with, if it came with one (refused ones too). */
  presentedKey: string | undefined;
  rejected: Rejection;
  /** The response's Set-Cookie lines, as sent. */
  setCookie: string[];
  /** The same cookies under their names on the wire: each value, or null for a deletion. */
  cookieChanges: [name: string, value: string | null][];
}

/** How long one store call may take before the request fails with 503. */
export const STORE_CALL_MS = 5_000;

export interface EngineOptions {
  /** Milliseconds one store call may take (default `STORE_CALL_MS`); tests shorten it to see the 503 quickly. */
  storeCallMs?: number;
  /**
   * Told about every request served, after its response is ready (sandbox/inspector/ follows sessions
   * this way). Never awaited: whatever it does must not slow the response.
   */
  onExchange?: (exchange: ServedExchange) => void;
}

/** What `peek` finds: the session a request would get, read without a lock, a cookie or a change. */
export interface PeekedSession {
  /** The id whose record was found, else the first one offered (to show why it was refused). */
  id: string | undefined;
  record: SessionRecord | null;
  /** The record as the store really holds it, when the store can show it. */
  stored: StoredView | null;
}
/**
 * How many distinct well-formed ids one request may make us look up (duplicate cookies,
 * expressjs/session#881). Repeats of one value count once, so a few copies of a planted id cannot
 * push the real one out; the cap only bounds the store work a header full of invented ids can cause.
 */
export const MAX_CANDIDATES = 16;

export class Engine {
  readonly config: SessionConfig;
  readonly store: Store;
  readonly transport: Transport;
  /** The defences switched off on purpose for an attack demo; empty outside those demos. */
  readonly unsafe: ReadonlySet<UnsafeFlaw>;
  readonly #mutex = new KeyedMutex();
  readonly #storeCallMs: number;
  readonly #onExchange: ((exchange: ServedExchange) => void) | undefined;
  readonly #deadlines: StoreDeadlines;
  readonly #records: SideRecords;
  #sweeper: NodeJS.Timeout | undefined;

  /** `transport` carries the id as `config.transport` says (transports/index.ts `createTransport`). */
  constructor(config: SessionConfig, store: Store, transport: Transport, options: EngineOptions = {}) {
    if (transport.kind !== config.transport) {
      throw new TypeError(
        `the config names the ${config.transport} transport, but ${transport.kind} was given`,
      );
    }
    this.config = config;
    this.store = store;
    this.transport = transport;
    this.unsafe = new Set(config.unsafeDemoFlaws);
    this.#storeCallMs = options.storeCallMs ?? STORE_CALL_MS;
    this.#onExchange = options.onExchange;
    this.#deadlines = new StoreDeadlines(store.name, this.#storeCallMs);
    this.#records = sideRecords(store, { lock: (key) => this.#lock(key), call: (work) => this.#call(work) });
  }

  /** Serves one request through the session pipeline to the app. */
  async handle(request: Request, app: App, base = '/'): Promise<Response> {
    // A HEAD is a GET whose body is dropped (RFC 9110 §9.3.2): every app answers it, with the status and
    // headers (Set-Cookie too) the GET would get, so it changes the session exactly as that GET would.
    if (request.method === 'HEAD') return withoutBody(await this.handle(asGet(request), app, base));
    return this.serveWithoutSession(request, (url) => this.#run(request, url, app, base));
  }

  /**
   * Serves a request with `handle`'s cross-site refusal and error pages, `answer` giving the response:
   * `handle` runs the session pipeline there; the lab's tamper and replay buttons need no session.
   */
  async serveWithoutSession(
    request: Request,
    answer: (url: URL) => Response | Promise<Response>,
  ): Promise<Response> {
    const url = new URL(request.url);
    try {
      // #region cross-site-flaw
      const crossSite = this.unsafe.has('no-cross-site-check')
        ? null
        : crossSiteSource(request, url, this.config.trustProxy);
      // #endregion cross-site-flaw
      if (crossSite) throw new CrossSiteRequestError(crossSite);
      return await answer(url);
    } catch (error) {
      return errorPage(this.#forVisitor(error), this.store.name);
    }
  }

  async #run(request: Request, url: URL, app: App, base: string): Promise<Response> {
    const now = Date.now();
    const received = parseCookieHeader(request.headers.get('cookie'));
    const secure = this.#isSecure(request, url);
    const jar = new CookieJar(received, secure);
    const keyOf = keyMemo();
    const { id, record, release, rejected, untried, presented, adopt } = await this.#open(
      request,
      url,
      received,
      jar,
      keyOf,
    );
    let response: Response;
    let session: Session;
    let outgoingId: string | undefined;
    try {
      session = new Session(id, record, now, adopt);
      const context = { base, store: this.store.name, records: this.#records, unsafe: this.unsafe };
      response = await app(request, session, context);
      outgoingId = await this.#persist(session, jar, keyOf);
    } finally {
      await release();
    }
    response = await this.transport.write(response, {
      id: outgoingId,
      // A refused id is cleared from the client, unless ids were left untried past the cap: one of
      // those may be the visitor's real session, and clearing the cookie would log them out.
      changed: outgoingId !== id || (rejected !== 'none' && !untried && outgoingId === undefined),
      expiresAt: session.expiresAt?.getTime(),
      extended: session.expiresAt !== undefined && session.expiresAt.getTime() !== record?.expiresAt,
      secure,
      cookies: jar,
      url,
    });
    if (this.unsafe.has('script-readable-cookie')) readableByScripts(jar, this.config.cookieName);
    response = jar.applyTo(response);
    if (this.#onExchange) {
      const servedId = outgoingId ?? id;
      this.#onExchange({
        at: Date.now(),
        method: request.method,
        url,
        status: response.status,
        cookieHeader: request.headers.get('cookie'),
        sessionKey: servedId === undefined ? undefined : keyOf(servedId),
        presentedKey: presented === undefined ? undefined : hashId(presented),
        rejected,
        setCookie: jar.serialized(),
        cookieChanges: jar.changes(),
      });
    }
    return response;
  }

  /** Finds the client's session: a well-formed id whose live record the store has, or nothing. */
  async #open(
    request: Request,
    url: URL,
    received: CookieValues,
    jar: CookieJar,
    keyOf: (id: string) => string,
  ): Promise<Opened> {
    const offered = await this.transport.read({ request, url, cookies: received, secure: jar.secure });
    const { candidates, untried } = candidatesOf(offered);
    const presented = presentedId(offered);
    let rejected: Rejection = offered.length > 0 ? 'malformed' : 'none';
    for (const candidate of candidates) {
      const key = keyOf(candidate);
      const release = await this.#lock(key);
      try {
        const record = await this.#call(this.store.load(key, jar));
        // Date.now(), not the request's start: waiting for the lock may have outlived the record, and
        // an expired session must never be revived (tj/connect-redis#251).
        if (record && record.expiresAt > Date.now())
          return {
            id: candidate,
            record,
            release,
            rejected: 'none',
            untried: false,
            presented,
            adopt: false,
          };
        rejected = record ? 'expired' : 'unknown';
        // An expired record is never served; delete it now rather than wait for the sweeper.
        if (record) await this.#call(this.#deleteRecord(key, jar));
      } catch (error) {
        await release();
        throw error;
      }
      await release();
    }
    const adoptable = candidates[0];
    if (adoptable !== undefined && this.unsafe.has('adopt-client-ids'))
      return this.#adopt(adoptable, jar, keyOf);
    return {
      id: undefined,
      record: null,
      release: async () => {},
      rejected,
      untried,
      presented,
      adopt: false,
    };
  }

  /**
   * The `adopt-client-ids` demo flaw: an unknown (or expired) well-formed id is not refused but becomes
   * the new session's id, so whoever chose it (an attacker who planted it in a link) knows it.
   */
  async #adopt(id: string, jar: CookieJar, keyOf: (id: string) => string): Promise<Opened> {
    const release = await this.#lock(keyOf(id));
    try {
      // Another request may have created it while the lock was free.
      const record = await this.#call(this.store.load(keyOf(id), jar));
      const live = record && record.expiresAt > Date.now() ? record : null;
      return {
        id,
        record: live,
        release,
        rejected: live ? 'none' : 'adopted',
        untried: false,
        presented: id,
        adopt: !live,
      };
    } catch (error) {
      await release();
      throw error;
    }
  }

  async #lock(key: string): Promise<Release> {
    if (this.config.locking === 'none') return async () => {};
    const local = await this.#mutex.acquire(key, this.config.lockTimeout);
    if (this.config.locking === 'process' || !this.store.lock) return local;
    try {
      // The store waits up to lockTimeout itself; this outer guard only catches a server that hangs.
      // If it fires and the lock arrives later anyway, give that lock straight back.
      const pending = this.store.lock(key);
      const guardMs = this.config.lockTimeout * 1000 + this.#storeCallMs;
      const shared = await withTimeout(this.store.name, guardMs, pending).catch((error: unknown) => {
        pending.then(
          (late) => late(),
          () => {},
        );
        throw error;
      });
      return async () => {
        try {
          await shared();
        } finally {
          await local();
        }
      };
    } catch (error) {
      await local();
      throw error;
    }
  }

  /** Saves what the app left; returns the id the client should hold afterwards, if any. */
  async #persist(
    session: Session,
    jar: CookieJar,
    keyOf: (id: string) => string,
  ): Promise<string | undefined> {
    // The moment of saving, not the request's start: a slow app or a long lock wait would otherwise
    // shorten every deadline by the request's duration, and save one already past if it outlasted the
    // idle timeout (the visitor sees "saved", the next page has forgotten them).
    const now = Date.now();
    const loadedKey = session.loadedId === undefined ? undefined : keyOf(session.loadedId);
    if (session.fate === 'destroy') {
      if (loadedKey) await this.#call(this.#deleteRecord(loadedKey, jar));
      return undefined;
    }
    if (session.fate === 'forget') return undefined;
    if (session.fate === 'expire') {
      if (!loadedKey || session.loadedId === undefined) return undefined;
      const data = session.toData();
      session.toJson(data); // the same check as a save: a value changed in place must still be JSON
      const ended: SessionRecord = { data, createdAt: session.createdAt, expiresAt: now };
      await this.#call(this.store.save(loadedKey, ended, jar));
      session.markStored(now);
      return session.loadedId;
    }
    const id = session.id;
    // A new session that holds nothing is never stored and gets no cookie (expressjs/session#541);
    // an adopted id stays with the client all the same, as it did under CherryPy.
    if (id === undefined || (session.isNew && session.size === 0)) return session.adoptedId;
    const idleMs = this.config.timeout * 60_000;
    const stale = (session.expiresAt?.getTime() ?? 0) - now < idleMs * 0.75;
    // Serialised once: the same text tells a change (session.changed), counts the bytes and, for a
    // value the app changed in place, checks that it is still JSON.
    const data = session.toData();
    const json = session.toJson(data);
    const mustSave =
      this.config.writePolicy === 'always' ||
      session.isNew ||
      json !== session.loadedJson ||
      session.regenerated ||
      stale;
    if (!mustSave) return id;
    const record: SessionRecord = {
      data,
      createdAt: session.createdAt,
      expiresAt: this.#deadline(session.createdAt, now),
    };
    const bytes = Buffer.byteLength(json);
    if (bytes > this.config.maxSessionBytes) {
      throw new SessionTooLargeError(
        this.store.name,
        bytes,
        this.config.maxSessionBytes,
        'Nothing was saved: the session still holds what it held before this request.',
      );
    }
    await this.#call(this.store.save(keyOf(id), record, jar));
    session.markStored(record.expiresAt);
    if (session.regenerated && loadedKey) await this.#call(this.#deleteRecord(loadedKey, jar));
    return id;
  }

  /** Deletes a record; a store without `destroy` gets an already-expired record instead of a silent no-op. */
  #deleteRecord(key: string, jar: CookieJar): Promise<void> {
    if (this.store.destroy) return this.store.destroy(key, jar);
    return this.store.save(key, { data: {}, createdAt: 0, expiresAt: 0 }, jar);
  }

  #deadline(createdAt: number, now: number): number {
    const idle = now + this.config.timeout * 60_000;
    const absolute =
      this.config.absoluteTimeout === null ? Infinity : createdAt + this.config.absoluteTimeout * 60_000;
    return Math.min(idle, absolute);
  }

  #call<T>(work: Promise<T>): Promise<T> {
    return this.#deadlines.race(work);
  }

  #isSecure(request: Request, url: URL): boolean {
    return requestIsHttps(request, this.config.trustProxy, url);
  }

  /** The id the request came with, read as `peek` reads it: its first well-formed one, else the first sent. */
  async presentedId(request: Request, cookies: CookieValues): Promise<string | undefined> {
    const url = new URL(request.url);
    try {
      return presentedId(await this.#offered(request, url, cookies, this.#isSecure(request, url)));
    } catch (error) {
      throw this.#forVisitor(error);
    }
  }

  /**
   * The session a request carrying `cookies` would get, read-only: no lock, nothing created, no cookie
   * set (cherrypy#1855: read-only requests leave nothing behind). For the inspector; errors come as
   * this engine's visitors may see them.
   */
  async peek(request: Request, cookies: CookieValues): Promise<PeekedSession> {
    const url = new URL(request.url);
    const secure = this.#isSecure(request, url);
    const jar = new CookieJar(cookies, secure);
    try {
      const { candidates } = candidatesOf(await this.#offered(request, url, cookies, secure));
      // As #open chooses: the first candidate with a live record (duplicate cookies can put a dead
      // one first), else the first, to show why it was refused.
      let id = candidates[0];
      let record: SessionRecord | null = null;
      for (const candidate of candidates) {
        const found = await this.#call(this.store.load(hashId(candidate), jar));
        if (candidate === id) record = found;
        if (found && found.expiresAt > Date.now()) {
          id = candidate;
          record = found;
          break;
        }
      }
      const stored =
        id !== undefined && this.store.inspect ? await this.#call(this.store.inspect(hashId(id), jar)) : null;
      return { id, record, stored };
    } catch (error) {
      throw this.#forVisitor(error);
    }
  }

  /** The ids the request offers, read without consuming anything (a transport's `peek`, else its `read`). */
  #offered(request: Request, url: URL, cookies: CookieValues, secure: boolean): Promise<string[]> {
    return (this.transport.peek ?? this.transport.read).call(this.transport, {
      request,
      url,
      cookies,
      secure,
    });
  }

  /**
   * The error as this engine's visitors may see it: with `showLocations = false` (a public site) a store
   * failure names its store only (errors.ts `withoutLocation`), and the log keeps what the page leaves out.
   */
  #forVisitor(error: unknown): unknown {
    if (this.config.showLocations || !(error instanceof StoreUnavailableError)) return error;
    console.error(`${error.message} (${error.hint})`);
    return withoutLocation(error);
  }

  /** Deletes expired records now; returns how many went. Stores that expire by themselves (Redis) have no sweep. */
  async sweep(): Promise<number> {
    return this.store.sweep ? this.#call(this.store.sweep(Date.now())) : 0;
  }

  /** Starts the sweeper: every `cleanUpDelay` minutes. It never keeps the process alive by itself. */
  startSweeper(
    onError: (error: unknown) => void = (error) =>
      console.error(`[session-lab] [${this.store.name}] sweep failed:`, error),
  ): void {
    if (this.#sweeper || !this.store.sweep) return;
    this.#sweeper = setInterval(() => this.sweep().catch(onError), this.config.cleanUpDelay * 60_000);
    this.#sweeper.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await this.store.close?.();
  }
}

/** What #open found: the session to serve (if any), its lock, and what the inspector should say. */
interface Opened {
  id: string | undefined;
  record: SessionRecord | null;
  release: Release;
  rejected: Rejection;
  untried: boolean;
  presented: string | undefined;
  /** Serve a new session under `id` (the `adopt-client-ids` flaw). */
  adopt: boolean;
}

/**
 * The ids worth looking up, in the order the client sent them, and whether some were left untried.
 * The rule between duplicates: the first one, in that order, whose record is live wins (a browser
 * sends the cookie with the longest Path first, then the oldest). Malformed values and repeats are
 * dropped before the cap, so junk or copies of one planted id tossed in front of the real cookie
 * cannot push it out; only more than MAX_CANDIDATES distinct well-formed ids can, and then the
 * cookie is not cleared (see #run).
 */
function candidatesOf(offered: string[]): { candidates: string[]; untried: boolean } {
  const distinct = [...new Set(offered.filter(isWellFormedId))];
  return { candidates: distinct.slice(0, MAX_CANDIDATES), untried: distinct.length > MAX_CANDIDATES };
}

/** The id a request came with: its first well-formed one, else the first value sent (a malformed one). */
function presentedId(offered: string[]): string | undefined {
  return candidatesOf(offered).candidates[0] ?? offered.find((value) => value !== '');
}

/** hashId with a one-entry memory: a request hashes the same id to load, save and remember its session. */
function keyMemo(): (id: string) => string {
  let lastId: string | undefined;
  let lastKey = '';
  return (id) => {
    if (id !== lastId) {
      lastId = id;
      lastKey = hashId(id);
    }
    return lastKey;
  };
}

function asGet(head: Request): Request {
  return new Request(head.url, { method: 'GET', headers: head.headers, signal: head.signal });
}

function withoutBody(response: Response): Response {
  response.body?.cancel().catch(() => {});
  const { status, statusText, headers } = response;
  return new Response(null, { status, statusText, headers });
}
