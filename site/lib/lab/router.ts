// The site's /lab/ routes, served at node:http level in front of Astro (no bundling, no page render):
//   /lab/<app>/<store>/<profile>/…   proxied to that demo's sandbox processes (a one-worker demo's
//                                    worker directly, when it is up)
//   GET  /lab-api/backends?app=…     which backends can run now, and why not
//   GET  /lab-api/status?variant=…   the demo's worker processes and recent crashes/restarts
//   POST /lab-api/control            restart or kill -9 a demo worker (off in public mode)
import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
import { isAppName } from '../../../lessons/apps.ts';
import { forward, keepAliveAgent } from '../../../sandbox/cli/forward.ts';
import { sendResponse } from '../../../sandbox/cli/node-listener.ts';
import { WORKER_HEADER } from '../../../sandbox/cli/proxy.ts';
import { type BodyLimits, readBody } from '../../../sandbox/cli/request-body.ts';
import { DEMO_SECURITY_HEADERS, setHeaders } from '../../../sandbox/cli/security-headers.ts';
import type { ProcessGroup, WorkerInfo } from '../../../sandbox/cli/supervisor.ts';
import { TOKEN_HEADER } from '../../../sandbox/cli/worker-token.ts';
import { incomingCrossSiteSource } from '../../../sandbox/engine/cross-site.ts';
import { html, htmlPage } from '../../../sandbox/engine/html.ts';
import { incomingIsHttps } from '../../../sandbox/engine/https.ts';
import { backendsFor } from './backends.ts';
import { publicCrossSiteRefusal } from './csrf-containment.ts';
import { DemoBusyError, type DemoManager } from './manager.ts';
import type { RateLimit } from './rate-limit.ts';
import { LAB_PREFIX, parseLabPath } from './variant.ts';

export interface PublicLimits {
  requestsPerMinute: number;
  maxSessionBytes: number;
  /** RAM demos keep at most this many sessions; the least recently used go first (not one in use: ram.ts). */
  maxSessionsPerDemo: number;
  /**
   * A shared store (files, SQLite, PostgreSQL, MySQL, Redis, the custom table) keeps at most this many
   * sessions of all its demos together; the site's sweeper deletes those closest to expiry past it.
   */
  maxSessionsPerStore: number;
  /**
   * A visitor's requests in flight at once; more get a 429. A browser opens at most six connections to
   * a host, so a reader never comes near it, and a few addresses cannot hold many of the site's.
   */
  maxInFlightPerVisitor: number;
}

export interface LabRouterOptions {
  manager: DemoManager;
  /** Whether visitors may restart and crash demo processes. */
  controls: boolean;
  publicMode: boolean;
  /** The caps in force, shown on the demo pages (public mode). */
  limits?: PublicLimits;
  rateLimit?: RateLimit;
  /** Believe the X-Forwarded-Proto of the reverse proxy in front of the site (TLS ends there). */
  trustProxy?: boolean;
  /** Size and time limits on a demo request's body (request-body.ts defaults, the workers' own). */
  bodyLimits?: BodyLimits;
  /** The only variant bases served, when set: the ones the site's pages offer (public mode, offered.ts). */
  offered?: ReadonlySet<string>;
  /** Whether the CSRF demo's other site runs on a port of its own (other-site.ts; local `npm start`). */
  otherSitePort?: boolean;
}

const API_PREFIX = '/lab-api/';
const MAX_CONTROL_BODY = 1_024;

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Returns a handler that answers /lab/ and /lab-api/ requests and returns false for anything else. */
export function createLabRouter(options: LabRouterOptions): NodeHandler {
  const agent = keepAliveAgent(128);
  const inFlight = new Map<string, number>();
  const route = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (path.startsWith(LAB_PREFIX)) void proxyToDemo(req, res, path, options, agent);
    else
      void answerApi(req, res, path.slice(API_PREFIX.length), options).catch((error: Error) =>
        sendJson(res, 500, { error: error.message }),
      );
  };
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith(LAB_PREFIX) && !path.startsWith(API_PREFIX)) return false;
    // Its own pages (404, 429, 502, 503) and JSON too, in `npm start` and `npm run dev` alike.
    setHeaders(res, DEMO_SECURITY_HEADERS);
    const cap = options.limits?.maxInFlightPerVisitor;
    if (cap !== undefined) {
      // Checked before the rate limit, so a refused request does not use up the visitor's minute.
      const visitor = visitorAddress(req, options.trustProxy === true);
      const count = inFlight.get(visitor) ?? 0;
      if (count >= cap) {
        req.resume();
        const busy = `This public site serves at most ${cap} requests at once per visitor. Try again in a moment.`;
        void sendResponse(page(429, 'Too many requests at once', busy, 1), res);
        return true;
      }
      inFlight.set(visitor, count + 1);
      res.once('close', () => {
        const left = (inFlight.get(visitor) ?? 1) - 1;
        if (left > 0) inFlight.set(visitor, left);
        else inFlight.delete(visitor);
      });
    }
    if (!options.rateLimit) {
      route(req, res, path);
      return true;
    }
    // The count may live in Redis or PostgreSQL (shared by every site instance); the request's body
    // waits, unread, until it is known.
    options.rateLimit.take(visitorAddress(req, options.trustProxy === true)).then(
      (wait) => {
        if (wait === 0) return route(req, res, path);
        req.resume();
        void sendResponse(
          page(
            429,
            'Too many requests',
            `This public site allows ${options.limits?.requestsPerMinute} demo requests a minute per visitor. Try again in ${wait} s.`,
            wait,
          ),
          res,
        );
      },
      (error: Error) => {
        req.resume();
        sendJson(res, 500, { error: error.message });
      },
    );
    return true;
  };
}

/**
 * A browser fetching a page ahead of time (`Sec-Purpose: prefetch`, also prerender): Starlight's
 * prefetch on hover or focus did that for the "Open this demo on its own page" link, and every demo GET
 * counts or changes the session. A prefetch is not a visit: it never reaches the demo.
 */
export function isSpeculative(req: IncomingMessage): boolean {
  const purpose = `${req.headers['sec-purpose'] ?? ''} ${req.headers.purpose ?? ''}`.toLowerCase();
  return /\b(prefetch|prerender)\b/.test(purpose);
}

async function proxyToDemo(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  options: LabRouterOptions,
  agent: Agent,
) {
  if (isSpeculative(req)) {
    // Any answer but 2xx makes the browser drop the prefetch; the real visit comes later, if at all.
    req.resume();
    res.writeHead(503, { 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Demo pages are not prefetched: a GET here changes the session.\n');
    return;
  }
  const parsed = parseLabPath(path);
  if (!parsed || (options.offered && !options.offered.has(parsed.base))) {
    req.resume();
    const why = parsed
      ? 'This public site runs only the demos its chapters and demo pages show. Start from one of them.'
      : 'This address does not name a demo. Start from the chapter or from /demos/.';
    await sendResponse(page(404, 'No such demo', why), res);
    return;
  }
  if (options.publicMode && parsed.variant.flaws.includes('no-cross-site-check')) {
    const evidence = publicCrossSiteRefusal(req, req.headers.host ?? '');
    if (evidence) {
      req.resume();
      const why = `This public site keeps the CSRF demo's unsafe variant to its own pages: a request with ${evidence} could carry a visitor's cookies from another page, so it was refused and nothing was changed.`;
      await sendResponse(page(403, 'Refused on this public site', why), res);
      return;
    }
  }
  let sandbox: ProcessGroup;
  try {
    sandbox = await options.manager.sandbox(parsed.variant);
  } catch (error) {
    req.resume();
    const retry = error instanceof DemoBusyError ? error.retryAfterSeconds : undefined;
    await sendResponse(page(503, 'The demo could not start', (error as Error).message, retry), res);
    return;
  }
  const worker = onlyWorkerReady(sandbox);
  forward(req, res, {
    host: '127.0.0.1',
    port: worker?.port ?? sandbox.port,
    agent,
    ...(options.bodyLimits ? { bodyLimits: options.bodyLimits } : {}),
    requestHeaders: {
      'x-forwarded-proto': visitorScheme(req, options.trustProxy === true),
      'x-forwarded-host': req.headers.host ?? '',
      // The demo processes answer only requests that carry it (sandbox/cli/worker-token.ts).
      [TOKEN_HEADER]: sandbox.token,
    },
    // What the sandbox's proxy adds; the inspector reads it to show which process answered.
    ...(worker ? { responseHeaders: { [WORKER_HEADER]: String(worker.pid) } } : {}),
    onDown: () => {
      if (res.headersSent) res.destroy();
      else
        void sendResponse(
          page(
            502,
            'The demo server is down',
            'It was stopped or crashed; the site is starting it again. Reload in a moment.',
          ),
          res,
        );
    },
  });
}

/**
 * A one-worker demo's ready worker, read on every request (a restarted worker has a new port). Its
 * sandbox's round-robin proxy has no choice to make, so going straight to the worker saves a loopback
 * hop, about half of a demo round trip's cost (issue 3 §4). A worker that is down or starting is left
 * to the proxy, which answers with its clear 502 page, as before.
 */
function onlyWorkerReady(sandbox: ProcessGroup): (WorkerInfo & { port: number }) | undefined {
  const workers = sandbox.workers;
  const only = workers.length === 1 ? workers[0] : undefined;
  return only?.state === 'ready' && only.port !== undefined ? { ...only, port: only.port } : undefined;
}

async function answerApi(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  options: LabRouterOptions,
) {
  const url = new URL(req.url ?? '/', 'http://lab.local');
  if (req.method === 'GET' && route === 'backends') {
    const app = url.searchParams.get('app') ?? '';
    if (!isAppName(app)) return sendJson(res, 404, { error: `unknown app ${JSON.stringify(app)}` });
    return sendJson(res, 200, {
      publicMode: options.publicMode,
      otherSitePort: options.otherSitePort === true,
      limits: options.limits ?? null,
      backends: await backendsFor(app, !options.publicMode),
    });
  }
  if (req.method === 'GET' && route === 'status') {
    const parsed = parseLabPath(`${LAB_PREFIX}${url.searchParams.get('variant') ?? ''}/`);
    if (!parsed) return sendJson(res, 404, { error: 'unknown demo variant' });
    const status = await options.manager.status(parsed.variant);
    return sendJson(res, 200, {
      ...status,
      // A public site names no port: the processes behind it are not for visitors to reach.
      workers: options.publicMode ? status.workers.map(({ pid, state }) => ({ pid, state })) : status.workers,
      controls: options.controls,
    });
  }
  if (req.method === 'POST' && route === 'control') {
    if (!options.controls)
      return sendJson(res, 403, { ok: false, message: 'Process controls are off on this public site.' });
    // The engine's cross-site check, plus one rule of this route's own: the lab's control panel posts
    // with fetch, which always sends Origin, so a request without one did not come from it.
    if (req.headers.origin === undefined || incomingCrossSiteSource(req) !== null)
      return sendJson(res, 403, { ok: false, message: 'Cross-site requests are refused.' });
    const read = await readBody(req, { maxBytes: MAX_CONTROL_BODY, maxFormBytes: MAX_CONTROL_BODY });
    const body = read.ok ? parseJson(read.body) : null;
    const parsed = parseLabPath(`${LAB_PREFIX}${String(body?.variant ?? '')}/`);
    const action = body?.action;
    const worker = body?.worker ?? 0;
    const validWorker = typeof worker === 'number' && Number.isInteger(worker) && worker >= 0;
    if (
      !parsed ||
      (action !== 'restart' && action !== 'kill') ||
      !validWorker ||
      worker >= parsed.variant.workers
    ) {
      return sendJson(res, 400, {
        ok: false,
        message: 'expected { variant, action: "restart" | "kill", worker? }',
      });
    }
    const message = await options.manager.control(parsed.variant, action, worker);
    return sendJson(res, 200, { ok: true, message, ...(await options.manager.status(parsed.variant)) });
  }
  return sendJson(res, 404, { error: 'no such lab API route' });
}

/** https when the visitor's connection is TLS: ours, or (trusted) the reverse proxy's in front of us. */
export function visitorScheme(req: IncomingMessage, trustProxy: boolean): 'http' | 'https' {
  return incomingIsHttps(req, trustProxy) ? 'https' : 'http';
}

/**
 * Who is asking, for the rate limit. Behind a trusted reverse proxy every connection comes from the
 * proxy, so the visitor is the address it appended last to X-Forwarded-For (entries before it were
 * written by the client and prove nothing).
 */
export function visitorAddress(req: IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? '';
  if (!trustProxy) return socket;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return forwarded.at(-1) ?? socket;
}

/** A POST from another site (a hidden form, a script elsewhere) must not drive the demos. */
function parseJson(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function page(status: number, title: string, message: string, retryAfterSeconds?: number): Response {
  const retry = retryAfterSeconds ?? (status >= 502 ? 2 : undefined);
  return htmlPage(title, html`<div class="error" role="alert"><h1>${title}</h1><p>${message}</p></div>`, {
    status,
    headers: { 'cache-control': 'no-store', ...(retry ? { 'retry-after': String(retry) } : {}) },
  });
}
