// The inspector: follows the sessions an engine serves (its `onExchange` hook) and answers
// `GET <base>_inspect` with a session as the store really holds it. The engine knows nothing of it;
// it reads sessions through the engine's read-only `presentedId` and `peek`.
import type { SessionConfig } from '../engine/config.ts';
import { type CookieValues, parseCookieHeader } from '../engine/cookies.ts';
import { type App, Engine, type EngineOptions, type ServedExchange } from '../engine/engine.ts';
import { SessionLabError } from '../engine/errors.ts';
import { hashId, maskId } from '../engine/ids.ts';
import type { Transport } from '../engine/transport.ts';
import type { Store } from '../engine/types.ts';
import { labAction, serveLab } from '../lab/lab.ts';
import { belongsToAnotherVisitor } from '../lab/lab-visitor.ts';
import type { CookiesShown, InspectAnswer } from './answer.ts';
import { CARRIED_ANSWER_HEADER, carriedAnswer } from './carried-answer.ts';
import { type ExchangeLog, memoryExchangeLog } from './exchange-log.ts';
import { type Masking, maskValue, sessionMasking } from './masking.ts';
import { afterChanges, RecentCookies, type RecentSet } from './recent-cookies.ts';
import { InspectorWaits, isFinal, type Wait } from './waits.ts';

export interface InspectorOptions extends Omit<EngineOptions, 'onExchange'> {
  /** Where the last exchanges live (default: this process's memory). */
  exchangeLog?: ExchangeLog;
  /** Milliseconds `_inspect?after=` waits for the next exchange (default `INSPECT_WAIT_MS`). */
  inspectWaitMs?: number;
}

/**
 * How long `GET _inspect?after=<ms>` waits for the session's next exchange. The site's inspector asks
 * as a click leaves the demo page and gives up when the page has loaded, well within this.
 */
export const INSPECT_WAIT_MS = 3_000;
/** How many sessions' last exchanges the inspector remembers in this process. */
const EXCHANGES_KEPT = 2_000;

const NO_STORE = { 'cache-control': 'no-store' };
const JSON_NO_STORE = { ...NO_STORE, 'content-type': 'application/json' };

/** An engine and the inspector that follows it: `handle` serves both. */
export class Inspector {
  readonly engine: Engine;
  readonly #exchanges: ExchangeLog;
  readonly #waits = new InspectorWaits();
  readonly #recentCookies = new RecentCookies();
  readonly #waitMs: number;
  readonly #masking: Masking;

  /** The engine's own arguments (engine.ts), and where the exchanges are kept. */
  constructor(config: SessionConfig, store: Store, transport: Transport, options: InspectorOptions = {}) {
    const { exchangeLog, inspectWaitMs, ...engineOptions } = options;
    this.#exchanges = exchangeLog ?? memoryExchangeLog(EXCHANGES_KEPT);
    this.#waitMs = inspectWaitMs ?? INSPECT_WAIT_MS;
    this.#masking = sessionMasking(config.cookieName);
    this.engine = new Engine(config, store, transport, {
      ...engineOptions,
      onExchange: (exchange) => this.#follow(exchange),
    });
  }

  /**
   * Serves one request: `GET <base>_inspect` is answered here, the inspector's buttons
   * (`POST <base>_lab/…`) by sandbox/lab/, everything else by the engine.
   */
  async handle(request: Request, app: App, base = '/'): Promise<Response> {
    const { method } = request;
    if (
      (method === 'GET' || method === 'HEAD') &&
      request.url.includes('_inspect') &&
      new URL(request.url).pathname === `${base}_inspect`
    ) {
      const answer = await this.answer(request);
      if (method === 'GET') return answer;
      answer.body?.cancel().catch(() => {});
      return new Response(null, { status: answer.status, headers: answer.headers });
    }
    const action = labAction(request, base);
    if (action !== undefined) return serveLab(this.engine, request, action, app, base);
    return this.engine.handle(request, app, base);
  }

  /** Remembers an exchange the engine served and wakes the inspections waiting for it. */
  #follow(exchange: ServedExchange): void {
    const { at, method, url, status, sessionKey, presentedKey, rejected } = exchange;
    // A refused id that left no session behind is remembered under its own key, so the inspector that
    // carried it (the tamper button's) shows the refusal and the Set-Cookie that cleared it.
    const key = sessionKey ?? (rejected !== 'none' ? presentedKey : undefined);
    if (key === undefined) return;
    const mask = this.#masking.text;
    this.#exchanges.record(key, {
      at,
      method,
      path: mask(url.pathname + url.search),
      status,
      cookieHeader: exchange.cookieHeader === null ? null : mask(exchange.cookieHeader),
      setCookie: exchange.setCookie.map(mask),
      rejected,
    });
    // The cookies set go only to inspections of the session they belong to. Under a refused id
    // (anyone may hold one, e.g. planted for fixation) only deletions: never the new session's id.
    const changes = exchange.cookieChanges.filter(([, value]) => sessionKey !== undefined || value === null);
    this.#recentCookies.record(key, { at, final: isFinal(status), changes });
    this.#waits.arrive(key, at, status);
    // An inspection waiting on the id the request came with (refused or replaced) wakes too, and then
    // shows only what its own cookies give (the site's inspector asks again once the page has loaded).
    if (presentedKey !== undefined && presentedKey !== key) this.#waits.arrive(presentedKey, at, status);
  }

  /**
   * `GET /_inspect`: this client's session as the store really holds it. Read-only: it takes no
   * lock, creates nothing and sets no cookie (cherrypy#1855: read-only requests leave nothing behind).
   * With `?after=<ms>` (an exchange's `at`) it first waits for the session's next final exchange, so
   * an inspector can ask as a click leaves and get the answer as soon as the server has given it.
   */
  async answer(request: Request): Promise<Response> {
    const { config, store } = this.engine;
    const url = new URL(request.url);
    let received = parseCookieHeader(request.headers.get('cookie'));
    const body: InspectAnswer = {
      store: store.name,
      transport: config.transport,
      writePolicy: config.writePolicy,
      locking: config.locking,
      timeoutMinutes: config.timeout,
      now: Date.now(),
      cookies: this.#cookiesShown(request, received),
    };
    let wait: Wait | undefined;
    try {
      const after = Number(url.searchParams.get('after') ?? Number.NaN);
      const presented = await this.engine.presentedId(request, received);
      const presentedKey = presented === undefined ? undefined : hashId(presented);
      let changed: RecentSet[] = [];
      if (presentedKey !== undefined && Number.isFinite(after)) {
        // Waiting before looking, so an exchange served in between is not missed.
        wait = this.#waits.wait(presentedKey, after, this.#waitMs);
        const latest = await this.#exchanges.get(presentedKey);
        const served =
          (latest && latest.at > after && isFinal(latest.status)) ||
          this.#recentCookies.since(presentedKey, after).some((set) => set.final);
        if (!served) await wait.arrived;
        // This request carries the cookies from before the click; the click's response may have set
        // others (with the cookie store, the session itself): show the state after it.
        changed = this.#recentCookies.since(presentedKey, after);
        if (changed.length > 0) {
          received = afterChanges(received, changed);
          body.cookies = this.#cookiesShown(request, received);
        }
      }
      let { id, record, stored } = await this.engine.peek(request, received);
      // A session signed in under another browser's lab_visitor (a planted or replayed id) is not shown.
      const foreign = record !== null && belongsToAnotherVisitor(record, received);
      if (foreign) {
        id = undefined;
        record = null;
        stored = null;
      }
      if (id) body.storeKey = hashId(id);
      // Without a session, the exchange of the id this request carried: its refusal, if it was refused.
      const exchangeKey = id ? hashId(id) : foreign ? undefined : presentedKey;
      if (exchangeKey !== undefined) {
        const exchange = await this.#exchanges.get(exchangeKey);
        body.lastExchange = exchange;
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
      // Read again: `?after=` waited for a request whose deadline is later than the clock read above.
      body.now = Date.now();
      body.id = id ? maskId(id) : null;
      body.live = live;
      body.data = live && record ? record.data : null;
      body.createdAt = record?.createdAt ?? null;
      body.expiresAt = record && Number.isFinite(record.expiresAt) ? record.expiresAt : null;
      body.stored = stored;
      const json = JSON.stringify(body);
      const carried = wait ? carriedAnswer(json) : null;
      return new Response(json, {
        headers: { ...JSON_NO_STORE, ...(carried === null ? {} : { [CARRIED_ANSWER_HEADER]: carried }) },
      });
    } catch (error) {
      // `presentedId` and `peek` give errors as the engine's visitors may see them.
      const known = error instanceof SessionLabError;
      // On a public site an unexpected error's text is for the log only.
      const hidden = !known && !config.showLocations;
      if (hidden) console.error('[session-lab] inspect failed:', error);
      const failed: InspectAnswer = {
        ...body,
        error: hidden
          ? '[session-lab] the session could not be read; the error was logged'
          : error instanceof Error
            ? error.message
            : String(error),
        hint: known ? error.hint : '',
      };
      return Response.json(failed, { status: known ? error.status : 500, headers: NO_STORE });
    } finally {
      wait?.end();
    }
  }

  /** The cookies an inspection shows: the header as it came, and the values it counts (session ones masked). */
  #cookiesShown(request: Request, received: CookieValues): CookiesShown {
    const header = request.headers.get('cookie');
    const { isSessionCookie, text } = this.#masking;
    return {
      header: header === null ? null : text(header),
      received: Object.fromEntries(
        Object.entries(received).map(([name, values]) => [
          name,
          isSessionCookie(name) ? values.map(maskValue) : values,
        ]),
      ),
    };
  }
}
