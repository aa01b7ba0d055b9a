// The engine wraps an app: request → transport (which id?) → store (which data?) → app → store →
// transport → response. Apps are web-standard handlers, so the same app runs in node:http, inside
// the Astro site and in tests without a socket.

import { ramStore } from '../stores/ram.ts';
import type { SessionConfig, UnsafeFlaw } from './config.ts';
import { CookieJar } from './cookie-jar.ts';
import { APP_CREDENTIAL_PREFIX, type CookieValues, parseCookieHeader, SECURE_PREFIX } from './cookies.ts';
import { CrossSiteRequestError, crossSiteSource } from './cross-site.ts';
import { StoreDeadlines } from './deadlines.ts';
import {
  SessionLabError,
  SessionTooLargeError,
  StoreUnavailableError,
  withoutLocation,
  withTimeout,
} from './errors.ts';
import { type ExchangeLog, memoryExchangeLog, type Rejection } from './exchange-log.ts';
import { requestIsHttps } from './https.ts';
import { hashId, isWellFormedId, maskId } from './ids.ts';
import { InspectorWaits, isFinal, type Wait } from './inspector-waits.ts';
import { LAB_PATH, labApp, tamperResponse } from './lab.ts';
import { belongsToAnotherVisitor } from './lab-visitor.ts';
import { KeyedMutex } from './locks.ts';
import { maskPairs } from './mask-pairs.ts';
import { errorPage } from './pages.ts';
import { readableByScripts } from './readable-flaw.ts';
import { afterChanges, RecentCookies, type RecentSet } from './recent-cookies.ts';
import { replayRequest } from './replay.ts';
import { Session } from './session.ts';
import { type SideRecords, sideRecords } from './side-records.ts';
import type { Transport } from './transport.ts';
import type { JsonValue, Release, SessionRecord, Store, StoredView } from './types.ts';

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

export type { Exchange, Rejection } from './exchange-log.ts';

/** How long one store call may take before the request fails with 503. */
export const STORE_CALL_MS = 5_000;

/** Knobs for tests only; a deployment configures the engine through `SessionConfig`. */
export interface EngineOptions {
  /** Milliseconds one store call may take (default `STORE_CALL_MS`); tests shorten it to see the 503 quickly. */
  storeCallMs?: number;
  /** Where the inspector's last exchanges live (default: this process's memory). */
  exchangeLog?: ExchangeLog;
  /** Milliseconds `_inspect?after=` waits for the next exchange (default `INSPECT_WAIT_MS`). */
  inspectWaitMs?: number;
}

/**
 * How long `GET _inspect?after=<ms>` waits for the session's next exchange. The site's inspector asks
 * as a click leaves the demo page and gives up when the page has loaded, well within this.
 */
export const INSPECT_WAIT_MS = 3_000;
/**
 * How many distinct well-formed ids one request may make us look up (duplicate cookies,
 * expressjs/session#881). Repeats of one value count once, so a few copies of a planted id cannot
 * push the real one out; the cap only bounds the store work a header full of invented ids can cause.
 */
export const MAX_CANDIDATES = 16;
/** How many sessions' last exchanges the inspector remembers in this process. */
const EXCHANGES_KEPT = 2_000;

export class Engine {
  readonly config: SessionConfig;
  readonly store: Store;
  readonly transport: Transport;
  /** The defences switched off on purpose for an attack demo; empty outside those demos. */
  readonly unsafe: ReadonlySet<UnsafeFlaw>;
  readonly #mutex = new KeyedMutex();
  readonly #exchanges: ExchangeLog;
  readonly #storeCallMs: number;
  readonly #inspectorWaits = new InspectorWaits();
  readonly #recentCookies = new RecentCookies();
  readonly #inspectWaitMs: number;
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
    this.#exchanges = options.exchangeLog ?? memoryExchangeLog(EXCHANGES_KEPT);
    this.#inspectWaitMs = options.inspectWaitMs ?? INSPECT_WAIT_MS;
    this.#deadlines = new StoreDeadlines(store.name, this.#storeCallMs);
    this.#records = sideRecords(
      store,
      { lock: (key) => this.#lock(key), call: (work) => this.#call(work) },
      () => ramStore({ maxSessions: config.maxSessions }),
    );
  }

  /** Serves one request: `GET <base>_inspect` is answered by the engine, everything else by the app. */
  async handle(request: Request, app: App, base = '/'): Promise<Response> {
    // A HEAD is a GET whose body is dropped (RFC 9110 §9.3.2): every app answers it, with the status and
    // headers (Set-Cookie too) the GET would get, so it changes the session exactly as that GET would.
    if (request.method === 'HEAD') return withoutBody(await this.handle(asGet(request), app, base));
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname === `${base}_inspect`) return this.inspect(request, base);
    try {
      // #region cross-site-flaw
      const crossSite = this.unsafe.has('no-cross-site-check')
        ? null
        : crossSiteSource(request, url, this.config.trustProxy);
      // #endregion cross-site-flaw
      if (crossSite) throw new CrossSiteRequestError(crossSite);
      if (request.method === 'POST' && url.pathname.startsWith(`${base}${LAB_PATH}`)) {
        const action = url.pathname.slice(base.length + LAB_PATH.length);
        if (action === 'tamper') return tamperResponse(request, this.config, this.#isSecure(request, url));
        if (action === 'replay') return await this.#replay(request, url, app, base);
        return await this.#run(request, url, labApp(action), base);
      }
      return await this.#run(request, url, app, base);
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
    const servedId = outgoingId ?? id;
    const presentedKey = presented === undefined ? undefined : hashId(presented);
    // A refused id that left no session behind is remembered under its own key, so the inspector that
    // carried it (the tamper button's) shows the refusal and the Set-Cookie that cleared it.
    const key = servedId ? keyOf(servedId) : rejected !== 'none' ? presentedKey : undefined;
    if (key) {
      const at = this.#logExchange(key, request, url, response, jar, rejected);
      // The cookies set go only to inspections of the session they belong to. Under a refused id
      // (anyone may hold one, e.g. planted for fixation) only deletions: never the new session's id.
      const changes = jar.changes().filter(([, value]) => servedId !== undefined || value === null);
      this.#recentCookies.record(key, { at, final: isFinal(response.status), changes });
      // An inspection waiting on the id the request came with (refused or replaced) wakes too, and then
      // shows only what its own cookies give (the site's inspector asks again once the page has loaded).
      const keys = presentedKey && presentedKey !== key ? [key, presentedKey] : [key];
      // An inspector waiting for this very exchange answers first (inspector-waits.ts); nobody waits: no await.
      const answering = keys.flatMap((each) => this.#inspectorWaits.arrive(each, at, response.status) ?? []);
      if (answering.length > 0) await Promise.all(answering);
    }
    return response;
  }

  /** The stolen-id demo's attacker's browser (replay.ts): the app's page for the replayed id; it sets no cookie here. */
  async #replay(request: Request, url: URL, app: App, base: string): Promise<Response> {
    const replayed = await replayRequest(request, url, base, this.config, this.#isSecure(request, url));
    const response = await this.#run(replayed, new URL(replayed.url), app, base);
    const headers = new Headers(response.headers);
    headers.delete('set-cookie');
    headers.delete('clear-site-data');
    headers.set('cache-control', 'no-store');
    return new Response(response.body, { status: response.status, headers });
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

  #logExchange(
    key: string,
    request: Request,
    url: URL,
    response: Response,
    jar: CookieJar,
    rejected: Rejection,
  ): number {
    const setCookie = jar.serialized().map((line) => this.#mask(line));
    const at = Date.now();
    this.#exchanges.record(key, {
      at,
      method: request.method,
      path: this.#mask(url.pathname + url.search),
      status: response.status,
      cookieHeader: maskNullable(request.headers.get('cookie'), (text) => this.#mask(text)),
      setCookie,
      rejected,
    });
    return at;
  }

  /**
   * `GET /_inspect`: this client's session as the store really holds it. Read-only: it takes no
   * lock, creates nothing and sets no cookie (cherrypy#1855: read-only requests leave nothing behind).
   * With `?after=<ms>` (an exchange's `at`) it first waits for the session's next final exchange, so
   * an inspector can ask as a click leaves and get the answer as soon as the server has given it.
   */
  async inspect(request: Request, _base = '/'): Promise<Response> {
    const url = new URL(request.url);
    const secure = this.#isSecure(request, url);
    let received = parseCookieHeader(request.headers.get('cookie'));
    const body: Record<string, JsonValue> = {
      store: this.store.name,
      transport: this.config.transport,
      writePolicy: this.config.writePolicy,
      locking: this.config.locking,
      timeoutMinutes: this.config.timeout,
      now: Date.now(),
      cookies: this.#cookiesShown(request, received),
    };
    let wait: Wait | undefined;
    try {
      let offered = await this.#peek(request, url, received, secure);
      const after = Number(url.searchParams.get('after') ?? Number.NaN);
      const waitId = presentedId(offered);
      const waitKey = waitId === undefined ? undefined : hashId(waitId);
      let changed: RecentSet[] = [];
      if (waitKey !== undefined && Number.isFinite(after)) {
        // Waiting before looking, so an exchange served in between is not missed.
        wait = this.#inspectorWaits.wait(waitKey, after, this.#inspectWaitMs);
        const latest = await this.#exchanges.get(waitKey);
        const served =
          (latest && latest.at > after && isFinal(latest.status)) ||
          this.#recentCookies.since(waitKey, after).some((set) => set.final);
        if (served) wait.answered();
        else await wait.arrived;
        // This request carries the cookies from before the click; the click's response may have set
        // others (with the cookie store, the session itself): show the state after it.
        changed = this.#recentCookies.since(waitKey, after);
        if (changed.length > 0) {
          received = afterChanges(received, changed);
          body.cookies = this.#cookiesShown(request, received);
          offered = await this.#peek(request, url, received, secure);
        }
      }
      const jar = new CookieJar(received, secure);
      const { candidates } = candidatesOf(offered);
      // The session a request would get: the first candidate with a live record (duplicate cookies
      // can put a dead one first), else the first, to show why it was refused.
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
      // A session signed in under another browser's lab_visitor (a planted or replayed id) is not shown.
      const foreign = record !== null && belongsToAnotherVisitor(record, received);
      if (foreign) {
        id = undefined;
        record = null;
      }
      let stored: StoredView | null = null;
      if (id) {
        const key = hashId(id);
        stored = this.store.inspect ? await this.#call(this.store.inspect(key, jar)) : null;
        body.storeKey = key;
      }
      // Without a session, the exchange of the id this request carried: its refusal, if it was refused.
      const exchangeKey = id ? hashId(id) : foreign ? undefined : waitKey;
      if (exchangeKey !== undefined) {
        const exchange = await this.#exchanges.get(exchangeKey);
        body.lastExchange = exchange ? (exchange as unknown as JsonValue) : null;
        // Its cookies are not known here (another process served it, or they were forgotten), so what
        // this answer shows from the cookies may be from before it: the site's inspector asks again.
        if (
          wait &&
          exchange &&
          exchange.at > after &&
          exchange.setCookie.length > 0 &&
          !changed.some((set) => set.at === exchange.at)
        )
          body.behind = true;
      }
      const live = record !== null && record.expiresAt > Date.now();
      Object.assign(body, {
        // Read again: `?after=` waited for a request whose deadline is later than the clock read above.
        now: Date.now(),
        id: id ? maskId(id) : null,
        live,
        data: live && record ? record.data : null,
        createdAt: record?.createdAt ?? null,
        expiresAt: record && Number.isFinite(record.expiresAt) ? record.expiresAt : null,
        stored: stored as unknown as JsonValue,
      });
      return Response.json(body, { headers: { 'cache-control': 'no-store' } });
    } catch (error) {
      const shown = this.#forVisitor(error);
      const known = shown instanceof SessionLabError;
      // On a public site an unexpected error's text is for the log only.
      const hidden = !known && !this.config.showLocations;
      if (hidden) console.error('[session-lab] inspect failed:', error);
      return Response.json(
        {
          ...body,
          error: hidden
            ? '[session-lab] the session could not be read; the error was logged'
            : (shown as Error).message,
          hint: known ? shown.hint : '',
        },
        { status: known ? shown.status : 500, headers: { 'cache-control': 'no-store' } },
      );
    } finally {
      wait?.answered();
    }
  }

  #peek(request: Request, url: URL, cookies: CookieValues, secure: boolean): Promise<string[]> {
    return (this.transport.peek ?? this.transport.read).call(this.transport, {
      request,
      url,
      cookies,
      secure,
    });
  }

  /** The cookies an inspection shows: the header as it came, and the values it counts (session ones masked). */
  #cookiesShown(request: Request, received: CookieValues): JsonValue {
    return {
      header: maskNullable(request.headers.get('cookie'), (text) => this.#mask(text)),
      received: Object.fromEntries(
        Object.entries(received).map(([name, values]) => [
          name,
          this.#isSessionCookie(name) ? values.map(maskValue) : values,
        ]),
      ),
    };
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

  /**
   * Whether a cookie carries the session itself: the id, or the cookie store's data (`<name>_data`),
   * under either name (with `__Secure-` on https); or another credential an app sets (`lab_…`, such
   * as the login demo's remember-me token), masked the same way.
   */
  readonly #isSessionCookie = (cookieName: string): boolean => {
    const name = cookieName.startsWith(SECURE_PREFIX) ? cookieName.slice(SECURE_PREFIX.length) : cookieName;
    return (
      name === this.config.cookieName ||
      name.startsWith(APP_CREDENTIAL_PREFIX) ||
      (name.length === this.config.cookieName.length + 5 && name === `${this.config.cookieName}_data`)
    );
  };

  /**
   * Masks session cookie values and the id in a URL in text the inspector shows. Page scripts can
   * read `/_inspect`, so echoing the whole id would undo HttpOnly (OWASP "HttpOnly Attribute"; the
   * TRACE "cross-site tracing" hole); the store key, a hash, tells sessions apart instead.
   */
  #mask(text: string): string {
    return maskPairs(text, this.#isSessionCookie, maskValue);
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

const maskValue = (value: string): string => (value === '' ? '' : maskId(value));

const maskNullable = (text: string | null, mask: (text: string) => string): string | null =>
  text === null ? null : mask(text);

function asGet(head: Request): Request {
  return new Request(head.url, { method: 'GET', headers: head.headers, signal: head.signal });
}

function withoutBody(response: Response): Response {
  response.body?.cancel().catch(() => {});
  const { status, statusText, headers } = response;
  return new Response(null, { status, statusText, headers });
}
