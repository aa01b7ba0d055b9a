// One app on one port: createStore + Engine + app (mountApp) behind node:http. The CLI runs it
// in-process, the supervisor runs one per worker process, and the tests start it directly.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SessionConfig, unsafeWarning } from '../engine/config.ts';
import { cookiePathWarning } from '../engine/cookie-path.ts';
import type { Engine } from '../engine/engine.ts';
import { SessionLabError, withTimeout } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import type { RequestCookies } from '../engine/types.ts';
import { Inspector } from '../inspector/inspector.ts';
import { openSharedState } from '../shared/open-shared-state.ts';
import { sharedExchangeLog } from '../shared/shared-exchange-log.ts';
import { sharedBackendOf } from '../shared/shared-state.ts';
import { createStore } from '../stores/index.ts';
import { createTransport } from '../transports/index.ts';
import type { SandboxApp } from './apps.ts';
import { nodeListener } from './node-listener.ts';
import { CONNECTION_TIMEOUTS } from './request-body.ts';
import { withCookieSecret } from './secret.ts';
import { DEMO_SECURITY_HEADERS, setHeaders } from './security-headers.ts';
import { requireToken } from './worker-token.ts';

export const DEFAULT_HOST = '127.0.0.1';
/** How long the start-up check waits for a store server before warning and serving anyway. */
const PROBE_MS = 3_000;
/** How long in-flight requests get to finish at shutdown before their connections are cut. */
const DRAIN_MS = 5_000;

export interface ServerOptions {
  app: SandboxApp;
  config: SessionConfig;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The origin clients really use, when a proxy sits in front (the supervisor's public URL). */
  publicOrigin?: string;
  /** The path the app is mounted at, ending in `/` (default `/`); the site mounts each demo under /lab/…. */
  base?: string;
  /**
   * The site's shared state (SESSION_LAB_SHARED_URL: redis://… or postgres://…), where the
   * inspector's last exchanges go so every site instance sees them. Unset or `memory`: this process.
   */
  sharedUrl?: string;
  /** Answer only requests that carry this token (worker-token.ts); unset: anyone on loopback. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  engine: Engine;
  /** The config in use (with a cookie secret filled in, when one was needed). */
  config: SessionConfig;
  /** Lines worth printing at start: where a cookie secret came from, a store that is not reachable yet. */
  notes: string[];
  warnings: string[];
  /** Stops accepting, lets in-flight requests finish, then `engine.close()` (flushes buffered writes). */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  let origin = options.publicOrigin ?? '';
  const app = await mountApp({ ...options, origin: () => origin });
  const guarded = requireToken(options.token, app.listener);
  const server = createServer(CONNECTION_TIMEOUTS, (req, res) => {
    setHeaders(res, DEMO_SECURITY_HEADERS);
    guarded(req, res);
  });
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    await app.close();
    throw error;
  }
  origin ||= `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}/`,
    port,
    engine: app.engine,
    config: app.config,
    notes: app.notes,
    warnings: app.warnings,
    close() {
      closing ??= drain(server).then(app.close);
      return closing;
    },
  };
}

export interface MountOptions {
  app: SandboxApp;
  config: SessionConfig;
  /** The path the app is mounted at, ending in `/` (default `/`). */
  base?: string;
  /** server.ts `sharedUrl`. */
  sharedUrl?: string;
  /** The origin clients really use, read per request (a server learns its own port after listening). */
  origin: () => string;
}

/** One app with its own Engine and store, ready to be served by any node:http server. */
export interface MountedApp {
  engine: Engine;
  config: SessionConfig;
  notes: string[];
  warnings: string[];
  /** Answers one request for this app (the caller sets the security headers). */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** `engine.close()` (flushes buffered writes), then the app's and the shared state's own resources. */
  close(): Promise<void>;
}

/**
 * createStore + Engine + app, without a server of its own: startServer gives it a port, and a host
 * process (host.ts) serves several of them from one port, each at its own base path.
 */
export async function mountApp(options: MountOptions): Promise<MountedApp> {
  const { config, note } = withCookieSecret(options.config);
  const instance = await options.app.create(config);
  const sharedState =
    sharedBackendOf(options.sharedUrl) === 'memory' ? undefined : openSharedState(options.sharedUrl);
  const exchangeLog = sharedState && sharedExchangeLog(sharedState);
  const store = await createStore(config, { custom: instance.custom });
  const inspector = new Inspector(config, store, createTransport(config), { exchangeLog });
  const { engine } = inspector;
  const shutDownEngine = async () => {
    await engine.close();
    await instance.close?.();
    // After the last request: its exchange is written before the connection goes.
    await exchangeLog?.flush();
    await sharedState?.close();
  };
  engine.startSweeper((error) => console.error(`[session-lab] [${engine.store.name}] sweep failed:`, error));
  const warning = await probe(engine);

  const base = options.base ?? '/';
  let closing: Promise<void> | undefined;
  return {
    engine,
    config,
    notes: note ? [note] : [],
    warnings: [unsafeWarning(config), warning, cookiePathWarning(config, base)].filter(
      (line): line is string => line !== undefined,
    ),
    listener: nodeListener((request) => inspector.handle(request, instance.app, base), options.origin),
    close() {
      closing ??= shutDownEngine();
      return closing;
    },
  };
}

/** Cookies for a call made outside any request; server-side stores ignore them. */
const NO_COOKIES: RequestCookies = { secure: false, get: () => undefined, set: () => {}, delete: () => {} };

/**
 * Asks the store for a session that does not exist, so a server that is down is reported at start.
 * It never stops the start: stores connect lazily, and the engine answers 503 until the store is back.
 */
async function probe(engine: Engine): Promise<string | undefined> {
  const { store } = engine;
  const kind = engine.config.storageType;
  if (kind === 'ram' || kind === 'cookie' || kind === 'custom') return undefined;
  try {
    await withTimeout(store.name, PROBE_MS, store.load(hashId(generateId()), NO_COOKIES));
    return undefined;
  } catch (error) {
    const message = (error as Error).message.replace(/^\[session-lab\] /, '');
    const what = error instanceof SessionLabError ? message : `${store.name} failed: ${message}`;
    return `${what} — serving anyway; pages answer 503 until the store answers`;
  }
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(`port ${port} on ${host} is in use; choose another with --port N (0 picks a free one)`),
        );
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting; idle keep-alive connections close now, busy ones after their response (or DRAIN_MS). */
export function drain(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
