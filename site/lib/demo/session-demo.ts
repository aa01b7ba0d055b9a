// <session-demo>: wires one server-rendered demo (Demo.astro) to the live lab endpoints. It refreshes
// the inspector after every page load inside the iframe and after every button, without reloading the
// chapter. Everything shown is built with textContent (dom.ts).
import type { TransportKind } from '../../../sandbox/engine/config.ts';
import { type Answer, backends, type DemoStatus, type InspectAnswer, inspect, status } from './api.ts';
import { type AttackPanel, attackPanel } from './attack-panel.ts';
import { wantedBackend, withBackend } from './backend-url.ts';
import { clockOffset, describeRemaining, remainingMs } from './countdown.ts';
import { runAction } from './demo-actions.ts';
import type { DemoHost } from './demo-host.ts';
import { code, fill, h } from './dom.ts';
import { DemoFrame } from './frame.ts';
import { type OtherSiteFrame, otherSiteFrame } from './other-site-frame.ts';
import { disableControls, markBackends } from './render-backends.ts';
import { renderCookieTable, renderDocumentCookie, renderRawHeaders } from './render-cookies.ts';
import { renderExchange } from './render-exchange.ts';
import { renderProcesses } from './render-status.ts';
import { flushPending, renderStored } from './render-store.ts';
import { idForAddress, withId } from './transport-id.ts';

/** How long an action waits for the demo page to load before it reports what it has. */
const LOAD_WAIT_MS = 15_000;
/** How long the backend choice must stay put before its demo process is started. */
const SWITCH_SETTLE_MS = 350;
/**
 * How long a loaded page waits for the early inspection still on its way. The server answered the
 * page after recording its exchange, so that answer is due within milliseconds; past this, it went to
 * another process (several workers or site instances) and the inspector asks again.
 */
const EARLY_GRACE_MS = 150;
/** How long after a write-behind flush is due the inspector looks again (the flush itself takes time). */
const FLUSH_MARGIN_MS = 400;
/** Looks in a row after flushes that found the changes still waiting, before the inspector stops looking. */
const MAX_FLUSH_CHECKS = 3;

interface EarlyInspection {
  controller: AbortController;
  /** The answer, if it shows an exchange newer than the inspector's; null otherwise. */
  answer: Promise<Answer<InspectAnswer> | null>;
  /** Set once the page has loaded: the answer is then rendered by #loaded, not when it comes. */
  pageLoaded: boolean;
  rendered: boolean;
}

export class SessionDemo extends HTMLElement implements DemoHost {
  base = '';
  key = '';
  transport: TransportKind = 'cookie';
  idName = '';
  last: InspectAnswer | null = null;
  #offset = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #waiters: (() => void)[] = [];
  #pending = 0;
  #switchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Backends this site cannot run now: store → why, and how to enable it. */
  #unavailable = new Map<string, string>();
  /** The pid that answered the last inspection, for the process panel. */
  #worker: string | null = null;
  #queue: Promise<void> = Promise.resolve();
  #frame: DemoFrame | undefined;
  /** The CSRF demo's attacker page beside the app (`otherSite` prop), if the demo has one. */
  #otherSite: OtherSiteFrame | null = null;
  /** Chapter 11's fixation or stolen-id panel (`attack` prop), if the demo has one. */
  #attack: AttackPanel | null = null;
  /** The inspection asked for as a click left the demo page (expectExchange). */
  #early: EarlyInspection | null = null;
  /** Demo pages already listened to (#loaded can run twice for one page). */
  #watched = new WeakSet<Document>();
  /** Whether the inspector had seen the session before the exchange it shows (for a re-render). */
  #seenBefore = false;
  /** The look after the next write-behind flush (#planFlushCheck). */
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Looks after a flush in a row that still found the changes waiting, and whether one is rendering. */
  #flushChecks = 0;
  #checkingFlush = false;
  /** Process-panel answers asked for so far (#showProcessesOf): an older one is not shown over a newer. */
  #processAsks = 0;
  /** Inspections rendered so far: a late answer to an older question is not shown over a newer one. */
  #renders = 0;
  /** This demo's name in the page URL (backend-url.ts) and the store it shows unless the URL says otherwise. */
  #urlKey = '';
  #defaultStore = '';
  /**
   * The page this demo asked the frame for (navigate) and the document it was leaving, until a page
   * under the chosen backend loads or the reader follows a link in the frame.
   */
  #target: { path: string; leaving: Document | null; askedAgain: boolean } | null = null;

  partOf<T extends Element = HTMLElement>(name: string): T {
    const found = this.querySelector<T>(`[data-part="${name}"]`);
    if (!found) throw new Error(`<session-demo> is missing its ${name} part`);
    return found;
  }

  get frame(): DemoFrame {
    this.#frame ??= new DemoFrame(this.partOf<HTMLIFrameElement>('frame'));
    return this.#frame;
  }

  connectedCallback(): void {
    this.base = this.dataset.base ?? '';
    this.key = this.dataset.key ?? '';
    this.transport = (this.dataset.transport ?? 'cookie') as TransportKind;
    this.idName = this.dataset.idName ?? '';
    // Two demos of one variant on a page are told apart by their order.
    const twins = [...document.querySelectorAll<HTMLElement>('session-demo')].filter(
      (demo) => demo.dataset.key === this.key,
    );
    this.#urlKey = twins.indexOf(this) > 0 ? `${this.key}/${twins.indexOf(this) + 1}` : this.key;
    // defaultChecked: the radio checked in the HTML, whatever the browser restored on a reload.
    this.#defaultStore =
      [...this.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => r.defaultChecked)
        ?.value ?? '';
    const wanted = wantedBackend(location.href, this.#urlKey);
    this.frame.element.addEventListener('load', () => void this.#loaded());
    this.#otherSite = otherSiteFrame(this, () => void this.refresh());
    this.#attack = attackPanel(this, () => void this.refresh());
    this.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (button) void this.#act(button);
    });
    this.addEventListener('change', (event) => {
      const radio = event.target as HTMLInputElement;
      if (radio.type !== 'radio' || !radio.dataset.base) return;
      // Arrow keys move through the group one radio at a time: start only the backend they stop on.
      if (this.#switchTimer === undefined) this.#busy(1);
      clearTimeout(this.#switchTimer);
      this.#switchTimer = setTimeout(() => {
        this.#switchTimer = undefined;
        if (radio.checked) void this.#switchBackend(radio);
        this.#busy(-1);
      }, SWITCH_SETTLE_MS);
    });
    this.partOf('processes')
      .closest('details')
      ?.addEventListener('toggle', (event) => {
        if ((event.target as HTMLDetailsElement).open) {
          void status(this.key).then((answer) => this.#showProcesses(null, answer));
        }
      });
    this.#timer = setInterval(() => this.#tick(), 1_000);
    // Picked at once, not after /lab-api/backends: the lazy frame then loads the chosen backend first,
    // and no page view is counted on the default one.
    const restored = wanted === null ? null : this.#restoreBackend(wanted);
    void backends(this.dataset.app ?? '').then((answer) => {
      this.#unavailable = markBackends(this, answer.body);
      this.#otherSite?.offer(answer.body?.otherSitePort === true);
      if (restored !== null && this.#unavailable.has(restored)) this.#leaveUnavailable(restored);
    });
    // The iframe may have finished loading before this script ran.
    if (this.frame.loaded(this.base)) void this.#loaded();
  }

  disconnectedCallback(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#flushTimer);
  }

  /** Says `text` through the polite live region; `visible: false` when the same text is on screen already. */
  announce(text: string, visible = true): void {
    const live = this.partOf('live');
    live.classList.toggle('sr-only', !visible);
    // Cleared first, so the same sentence twice is still announced.
    live.textContent = '';
    requestAnimationFrame(() => {
      live.textContent = text;
    });
  }

  /** The id as the demo page carries it (url and hidden-field transports); null with cookies. */
  currentId(): string | null {
    return this.frame.id(this.base, this.transport, this.idName);
  }

  /** Where to reload the demo after an action: the same page if it was a GET, else the start page. */
  reloadPath(): string {
    const path = this.frame.path(this.base);
    const wasGet = this.last?.lastExchange?.method === 'GET';
    return withId(
      path && wasGet ? path : this.base,
      this.idName,
      idForAddress(this.transport, this.currentId()),
    );
  }

  /** Loads `path` in the iframe; resolves once the inspector has refreshed for it. */
  navigate(path: string): Promise<void> {
    return new Promise((resolve) => {
      const timeout = setTimeout(resolve, LOAD_WAIT_MS);
      this.#waiters.push(() => {
        clearTimeout(timeout);
        resolve();
      });
      this.#target = { path, leaving: this.frame.element.contentDocument, askedAgain: false };
      this.frame.element.src = path;
    });
  }

  async #loaded(): Promise<void> {
    if (this.#staleLoad()) return;
    // Only the waiters already there: one added while this load is handled waits for its own page.
    const waiters = this.#waiters.splice(0);
    this.frame.fitToContent();
    this.#followFrame();
    this.#watchFrame();
    const early = this.#early;
    this.#early = null;
    const answer = early ? await this.#awaitEarly(early) : null;
    if (answer && early?.rendered) await this.#pageArrived(answer);
    else if (answer) await this.#renderAll(answer);
    else await this.refresh();
    for (const resolve of waiters) resolve();
  }

  /**
   * True for a load that is not the page this demo asked for (navigate): the page being left finishing
   * its own load while the new one is on its way, or a page whose navigation began before ours and
   * still committed after it, which drops ours (Chromium does this when the src of a lazy frame changes
   * as its deferred first load starts). The first is ignored; the second is asked for again, once.
   * Neither may move the backend choice (#followFrame), which only a reader's click in the frame does.
   */
  #staleLoad(): boolean {
    const target = this.#target;
    if (!target || this.frame.path(this.base) !== null) {
      this.#target = null;
      return false;
    }
    const doc = this.frame.element.contentDocument;
    // An error page of another origin, or asked once already: handled as any other load.
    if (!doc || (doc !== target.leaving && target.askedAgain)) return false;
    if (doc !== target.leaving) {
      target.askedAgain = true;
      this.frame.element.src = target.path;
    }
    return true;
  }

  /**
   * Listens for the demo page being left by a link or a form, so the inspector can ask for the
   * click's result at once (expectExchange) instead of after the next page has loaded.
   */
  #watchFrame(): void {
    const doc = this.frame.path(this.base) === null ? null : this.frame.element.contentDocument;
    if (!doc || this.#watched.has(doc)) return;
    this.#watched.add(doc);
    doc.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      const plain =
        event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
      if (!link || !plain || event.defaultPrevented || (link.target && link.target !== '_self')) return;
      // The reader's own navigation wins over the page this demo asked for (#staleLoad).
      this.#target = null;
      if (new URL(link.href).pathname.startsWith(this.base)) this.expectExchange();
    });
    doc.addEventListener('submit', (event) => {
      if (event.defaultPrevented) return;
      this.#target = null;
      this.expectExchange();
    });
  }

  /**
   * Asks the server for the session's next exchange (`_inspect?after=`, which waits for it) while the
   * browser is still fetching the page: the inspector shows the click's result as soon as the server
   * has given it. A first visit has no exchange to wait after; the page's load refreshes it as before.
   * The tamper button asks this way too: only this request carries the changed cookie the page sends,
   * which the server then clears, so only it can show that request and its refusal.
   */
  expectExchange(): void {
    this.#dropEarly();
    const since = this.last?.lastExchange?.at;
    // Several workers take turns: the page and the wait would meet different processes.
    if (since === undefined || !this.last?.storeKey || Number(this.dataset.workers ?? 1) > 1) return;
    const base = this.base;
    const id = this.transport === 'cookie' ? null : this.currentId();
    const url = new URL(withId(`${base}_inspect`, this.idName, id), location.href);
    url.searchParams.set('after', String(since));
    const controller = new AbortController();
    const early: EarlyInspection = {
      controller,
      pageLoaded: false,
      rendered: false,
      answer: inspect(url.pathname + url.search, controller.signal).then((answer) => {
        const at = answer.body?.lastExchange?.at ?? 0;
        // `behind`: the server knows the exchange but not the cookies it set, so the cookies this
        // request carried (from before the click) may be out of date: the page's load asks again.
        const newer = at > (this.last?.lastExchange?.at ?? 0) && !answer.body?.error && !answer.body?.behind;
        return newer && !controller.signal.aborted && base === this.base ? answer : null;
      }),
    };
    this.#early = early;
    void early.answer.then((answer) => {
      if (!answer || early.pageLoaded || controller.signal.aborted) return;
      early.rendered = true;
      // The page has not arrived yet: its own panels (document.cookie, its failure) wait for it.
      this.#render(answer, false);
    });
  }

  /** The early answer for the page that just loaded, waiting a moment if it is still on its way. */
  async #awaitEarly(early: EarlyInspection): Promise<Answer<InspectAnswer> | null> {
    early.pageLoaded = true;
    const late = new Promise<null>((resolve) => setTimeout(() => resolve(null), EARLY_GRACE_MS));
    const answer = await Promise.race([early.answer, late]);
    early.controller.abort();
    return answer;
  }

  #dropEarly(): void {
    this.#early?.controller.abort();
    this.#early = null;
  }

  /**
   * The server's answer was shown before the page arrived: only what the page itself tells is new (its
   * document.cookie, whether it failed), and the process panel, which the early answer left alone.
   */
  async #pageArrived(answer: Answer<InspectAnswer>): Promise<void> {
    if (this.#pageProblem()) return this.#renderAll(answer);
    this.#renderDocumentCookie();
    await this.#showProcessesOf(answer.worker, this.#askProcesses());
  }

  /** Renders an answer whole at once; the process panel follows when its own answer comes. */
  #renderAll(answer: Answer<InspectAnswer>): Promise<void> {
    const processes = this.#askProcesses();
    this.#render(answer);
    return this.#showProcessesOf(answer.worker, processes);
  }

  /** Inspects the session again and shows it; returns the answer, so an action can compare it. */
  async refresh(): Promise<Answer<InspectAnswer>> {
    this.#dropEarly();
    const processes = this.#askProcesses();
    const answer = await this.#inspectNow();
    this.#render(answer);
    await this.#showProcessesOf(answer.worker, processes);
    return answer;
  }

  /** Process status only while its panel is open: public mode rate-limits every /lab-api/ call. */
  #askProcesses(): Promise<Answer<DemoStatus> | null> {
    return this.#processesOpen() ? status(this.key) : Promise.resolve(null);
  }

  /**
   * Shows the process panel once its answer comes. The inspection is drawn before it, not after: a
   * second round trip, and the frame's new page taking the main thread meanwhile, would delay it.
   * An answer asked before a newer one that is already shown is dropped.
   */
  async #showProcessesOf(worker: string | null, pending: Promise<Answer<DemoStatus> | null>): Promise<void> {
    const asked = ++this.#processAsks;
    const processes = await pending;
    if (asked === this.#processAsks) this.#showProcesses(worker, processes);
  }

  #inspectNow(): Promise<Answer<InspectAnswer>> {
    const id = this.transport === 'cookie' ? null : this.currentId();
    return inspect(withId(`${this.base}_inspect`, this.idName, id));
  }

  /**
   * Under `writePolicy = interval` the store panel says the changes are "not yet in" the store until
   * the next flush. The inspector looks again just after that flush, so the panel turns by itself, as
   * the chapter says it does. Any other render (a click, an action) replaces the plan.
   */
  #planFlushCheck(body: InspectAnswer): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (!this.#checkingFlush) this.#flushChecks = 0;
    const nextFlushAt = flushPending(body);
    // A flush that keeps failing (its store is down) is not watched for ever: the page says why.
    if (nextFlushAt === null || this.#flushChecks >= MAX_FLUSH_CHECKS) return;
    // Both times are the server's clock, so the browser's clock does not matter here.
    const delay = Math.max(0, nextFlushAt - body.now) + FLUSH_MARGIN_MS;
    const rendersBefore = this.#renders;
    this.#flushTimer = setTimeout(async () => {
      this.#flushTimer = undefined;
      // Something else is on its way (a click, an action): its own render will plan again.
      if (this.#pending > 0 || this.#early || this.#renders !== rendersBefore) return;
      const answer = await this.#inspectNow();
      if (this.#pending > 0 || this.#early || this.#renders !== rendersBefore) return;
      this.#flushChecks++;
      this.#checkingFlush = true;
      try {
        this.#render(answer);
      } finally {
        this.#checkingFlush = false;
      }
    }, delay);
  }

  /**
   * Shows an inspection, leaving the process panel as it is (#showProcessesOf). `pageLoaded` false (an
   * early answer) leaves out what only the loaded page can tell.
   */
  #render(answer: Answer<InspectAnswer>, pageLoaded = true): void {
    const body = answer.body;
    const problem =
      answer.problem ??
      body?.error ??
      (!body
        ? `The inspector got an unexpected answer (HTTP ${answer.status}).`
        : pageLoaded
          ? this.#pageProblem()
          : undefined);
    const error = this.partOf('error');
    error.hidden = !problem;
    if (problem) {
      const hint = body?.hint ? ` ${body.hint}` : '';
      fill(
        error,
        h('strong', null, 'The demo reported a problem. '),
        `${problem}${hint && !problem.includes(hint.trim()) ? hint : ''}`,
      );
      this.announce(`Problem: ${problem}`, false);
    }
    if (answer.worker !== null) this.#worker = answer.worker;
    // After a failure the panels keep the last good answer, dimmed, rather than claim "no session".
    this.partOf('panels').classList.toggle('stale', !body || Boolean(body.error));
    this.#renders++;
    if (!body || body.error) return;
    const seenBefore =
      body === this.last
        ? this.#seenBefore
        : this.last?.storeKey !== undefined &&
          this.last.storeKey === body.storeKey &&
          (this.last.lastExchange?.at ?? 0) < (body.lastExchange?.at ?? 0);
    this.last = body;
    this.#seenBefore = seenBefore;
    this.#offset = clockOffset(body.now, Date.now());
    const context = { idName: this.idName, transport: this.transport, worker: answer.worker, seenBefore };
    renderExchange(this.partOf('exchange'), body, context);
    renderCookieTable(this.partOf('cookies'), body, this.base, this.idName, this.transport);
    renderRawHeaders(this.partOf('raw'), body);
    if (pageLoaded) this.#renderDocumentCookie();
    renderStored(this.partOf('stored'), body);
    fill(
      this.partOf('state'),
      body.id
        ? h('span', null, 'Session ', code(body.id), body.live ? ' is live' : ' is not live')
        : 'No session',
    );
    fill(
      this.partOf('worker'),
      answer.worker ? h('span', null, 'answered by pid ', code(answer.worker)) : '',
    );
    this.#tick();
    this.#planFlushCheck(body);
  }

  #renderDocumentCookie(): void {
    renderDocumentCookie(
      this.partOf('doc-cookie'),
      this.frame.documentCookie(this.base),
      this.transport,
      this.idName,
    );
  }

  /** The pid of the demo process that answered the last inspection. */
  get worker(): string | null {
    return this.#worker;
  }

  #processesOpen(): boolean {
    return this.partOf('processes').closest('details')?.open ?? false;
  }

  #showProcesses(worker: string | null, processes: Answer<DemoStatus> | null): void {
    if (worker !== null) this.#worker = worker;
    renderProcesses(this.partOf('processes'), this.#worker, processes?.body ?? null, processes?.problem);
    if (processes?.body && !processes.body.controls) disableControls(this);
  }

  /**
   * A demo page that failed (store down, worker down, rate limit) says so in its own heading; the
   * inspector repeats it, because without a session it would otherwise just show "no session".
   */
  #pageProblem(): string | undefined {
    const failure = this.frame.failure();
    if (!failure) return undefined;
    const store = this.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value ?? '';
    const known = this.#unavailable.get(store);
    const heading = failure.heading ? `: ${failure.heading}` : '';
    return `The demo page answered HTTP ${failure.status}${heading}.${known ? ` ${known}` : ''}`;
  }

  #tick(): void {
    const target = this.querySelector('[data-part="countdown"]');
    const answer = this.last;
    if (!target) return;
    if (!answer?.live || !answer.expiresAt) {
      target.textContent = '';
      return;
    }
    target.textContent = describeRemaining(
      remainingMs(answer.expiresAt, Date.now(), this.#offset, answer.timeoutMinutes * 60_000),
      answer.timeoutMinutes,
    );
  }

  /** Process controls exist only where the site allows them (off in public mode). */
  /** Points the inspector at another backend's path, and keeps the choice in the page URL. */
  #useBase(base: string): void {
    this.base = base;
    this.key = base.slice('/lab/'.length, -1);
    this.partOf<HTMLAnchorElement>('open').href = base;
    this.#otherSite?.point(base);
    this.#attack?.point(base);
    this.last = null;
    this.#rememberBackend(this.#checkedStore());
  }

  #checkedStore(): string {
    return this.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value ?? '';
  }

  /** Replaces (not pushes) the page URL: no reload, and Back still leaves the chapter. */
  #rememberBackend(store: string | null): void {
    const href = withBackend(location.href, this.#urlKey, store === this.#defaultStore ? null : store);
    if (href !== location.href) history.replaceState(history.state, '', href);
  }

  /**
   * Switches to the backend the page URL names, as the demo starts. One this demo does not offer leaves
   * the default, and its name leaves the URL. Returns the store switched to, or null.
   */
  #restoreBackend(store: string): string | null {
    const radio = this.querySelector<HTMLInputElement>(`input[type="radio"][value="${CSS.escape(store)}"]`);
    if (!radio?.dataset.base || radio.disabled) {
      this.#rememberBackend(null);
      return null;
    }
    if (radio.dataset.base === this.base) return null;
    radio.checked = true;
    void this.#switchBackend(radio);
    return store;
  }

  /** /lab-api/backends says the restored store cannot run here: back to the default, unless the reader moved on. */
  #leaveUnavailable(store: string): void {
    const radio = this.querySelector<HTMLInputElement>(`input[type="radio"][value="${CSS.escape(store)}"]`);
    const fallback = [...this.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find(
      (r) => r.value === this.#defaultStore,
    );
    if (!radio?.checked || !fallback || this.#switchTimer !== undefined) return;
    fallback.checked = true;
    radio.disabled = true;
    void this.#switchBackend(fallback);
  }

  /**
   * The demo page may show another backend than the one chosen (a link clicked in the old page while
   * switching): the inspector follows the page, so it never describes a session the page is not using.
   */
  #followFrame(): void {
    if (this.#switchTimer !== undefined || this.frame.path(this.base) !== null) return;
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[type="radio"][data-base]')) {
      const base = radio.dataset.base ?? '';
      if (this.frame.path(base) === null) continue;
      radio.checked = true;
      this.#useBase(base);
      return;
    }
  }

  #switchBackend(radio: HTMLInputElement): Promise<void> {
    return this.#oneAtATime(async () => {
      this.#useBase(radio.dataset.base ?? this.base);
      await this.navigate(this.base);
      const label = radio.labels?.[0]?.textContent?.trim() ?? radio.value;
      return `Backend: ${label}. It keeps its own sessions, under its own cookie path ${this.base}.`;
    });
  }

  #act(button: HTMLButtonElement): Promise<void> {
    if (button.getAttribute('aria-disabled') === 'true') {
      const why = button.getAttribute('aria-describedby');
      this.announce(
        button.title || (why && document.getElementById(why)?.textContent?.trim()) || 'Not available here.',
      );
      return Promise.resolve();
    }
    return this.#oneAtATime(() => runAction(this, button.dataset.action ?? ''));
  }

  /** Runs actions and backend switches one after another, busy (aria-busy) while any is pending. */
  #oneAtATime(work: () => Promise<string>): Promise<void> {
    this.#busy(1);
    const run = this.#queue.then(work).then(
      (sentence) => this.announce(sentence),
      (error: Error) => this.announce(`Something went wrong: ${error.message}`),
    );
    this.#queue = run.finally(() => this.#busy(-1));
    return this.#queue;
  }

  #busy(change: 1 | -1): void {
    this.#pending += change;
    if (this.#pending > 0) this.setAttribute('aria-busy', 'true');
    else this.removeAttribute('aria-busy');
  }
}

if (!customElements.get('session-demo')) customElements.define('session-demo', SessionDemo);
