// A process that serves several apps from one port, each mounted at its own base path with its own
// Engine, store and app (server.ts `mountApp`), created on the first request for it. Which app a path
// gets is decided by a resolver module the supervisor names (the site's: site/lib/lab/host-mounts.ts),
// so this file knows nothing of the site's paths. One process instead of one per app: the site's public
// mode, where nobody kills or restarts a demo, fits a small server this way.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { SessionConfig } from '../engine/config.ts';
import { html, htmlPage } from '../engine/html.ts';
import type { SandboxApp } from './apps.ts';
import { sendResponse } from './node-listener.ts';
import { CONNECTION_TIMEOUTS } from './request-body.ts';
import { DEMO_SECURITY_HEADERS, setHeaders } from './security-headers.ts';
import { drain, listen, type MountedApp, mountApp } from './server.ts';
import { requireToken } from './worker-token.ts';

/** One app to mount: what startServer takes, minus the socket. */
export interface MountSpec {
  app: SandboxApp;
  config: SessionConfig;
  /** Ends in `/`; requests under it go to this app. */
  base: string;
  sharedUrl?: string;
}

/** The app for a request path, or null (404). It may throw: the visitor gets a 503 with the message. */
export type MountResolver = (path: string) => MountSpec | null;

/** What a resolver module exports: `resolver(options)`, the options passed through the supervisor as JSON. */
export type ResolverModule = { resolver(options: unknown): MountResolver };

/** How many apps one host keeps mounted, and how long a used one is safe from making room for another. */
export interface HostLimits {
  /** Most apps mounted at once (default: no limit). */
  maxApps?: number;
  /** An app used in the last this many minutes is never unmounted to make room (default 10). */
  keepMinutes?: number;
}

export interface HostOptions extends HostLimits {
  host: string;
  port?: number;
  publicOrigin?: string;
  token?: string;
  resolve: MountResolver;
}

interface Mount {
  app: Promise<MountedApp>;
  lastUsed: number;
}

export interface RunningHost {
  port: number;
  /** The base paths mounted so far. */
  mounted(): string[];
  /** Stops accepting, lets in-flight requests finish, then closes every mounted app (flushing writes). */
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  let origin = options.publicOrigin ?? '';
  const maxApps = options.maxApps ?? Number.POSITIVE_INFINITY;
  const keepMs = (options.keepMinutes ?? 10) * 60_000;
  const apps = new Map<string, Mount>();

  /**
   * Room for one more app: the least recently used one nobody used for `keepMinutes` is unmounted (its
   * writes flushed, its RAM sessions gone, and said so). Returns the seconds to wait when there is none.
   */
  const makeRoom = (): number => {
    if (apps.size < maxApps) return 0;
    const now = Date.now();
    const [base, oldest] = [...apps].reduce((a, b) => (b[1].lastUsed < a[1].lastUsed ? b : a));
    if (now - oldest.lastUsed < keepMs)
      return Math.max(1, Math.ceil((oldest.lastUsed + keepMs - now) / 1000));
    apps.delete(base);
    const idle = Math.round((now - oldest.lastUsed) / 1000);
    console.error(
      `[session-lab] demo host: stopped ${base} (last used ${idle} s ago) to make room, ${maxApps} apps at most: its RAM sessions are gone`,
    );
    oldest.app.then((app) => app.close()).catch(() => {});
    return 0;
  };

  const appFor = (spec: MountSpec): Promise<MountedApp> | number => {
    let mount = apps.get(spec.base);
    if (!mount) {
      const wait = makeRoom();
      if (wait > 0) return wait;
      const app = mountApp({ ...spec, origin: () => origin });
      const created: Mount = { app, lastUsed: Date.now() };
      mount = created;
      apps.set(spec.base, created);
      // A mount that failed (a config error) is tried again on the next request.
      app.then(
        (mounted) => {
          for (const warning of mounted.warnings) console.error(`[session-lab] ${spec.base}: ${warning}`);
        },
        () => apps.get(spec.base) === created && apps.delete(spec.base),
      );
    }
    mount.lastUsed = Date.now();
    return mount.app;
  };

  const route = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let spec: MountSpec | null;
    try {
      spec = options.resolve(path);
    } catch (error) {
      refuse(req, res, 503, 'The demo could not start', (error as Error).message);
      return;
    }
    if (!spec) {
      refuse(req, res, 404, 'No such demo', 'This process serves no app at this address.');
      return;
    }
    const app = appFor(spec);
    if (typeof app === 'number') {
      refuse(
        req,
        res,
        503,
        'The demo could not start',
        `Every demo this site can run at once is in use by visitors. Try again in ${app} s.`,
        app,
      );
      return;
    }
    app.then(
      (mounted) => mounted.listener(req, res),
      (error: Error) => {
        // The host serves public mode: its visitors learn that the start failed, the log learns why
        // (the reason can name a path or a database address).
        console.error(`[session-lab] demo ${spec.base} could not start:`, error.message);
        refuse(
          req,
          res,
          503,
          'The demo could not start',
          'The reason was logged on the server. Try again in a moment.',
        );
      },
    );
  };
  const guarded = requireToken(options.token, route);
  const server = createServer(CONNECTION_TIMEOUTS, (req, res) => {
    setHeaders(res, DEMO_SECURITY_HEADERS);
    guarded(req, res);
  });
  const port = await listen(server, options.port ?? 0, options.host);
  origin ||= `http://${options.host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    port,
    mounted: () => [...apps.keys()],
    close() {
      closing ??= drain(server).then(async () => {
        const all = await Promise.allSettled([...apps.values()].map((mount) => mount.app));
        await Promise.allSettled(all.map((app) => (app.status === 'fulfilled' ? app.value.close() : null)));
      });
      return closing;
    },
  };
}

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  title: string,
  message: string,
  retryAfterSeconds = 2,
) {
  req.resume();
  void sendResponse(
    htmlPage(title, html`<div class="error" role="alert"><h1>${title}</h1><p>${message}</p></div>`, {
      status,
      headers: {
        'cache-control': 'no-store',
        ...(status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {}),
      },
    }),
    res,
  );
}
