// A process that serves several apps from one port, each mounted at its own base path with its own
// Engine, store and app (server.ts `mountApp`), created on the first request for it. Which app a path
// gets is decided by a resolver module the supervisor names (the site's: site/lib/lab/host-mounts.ts),
// so this file knows nothing of the site's paths. One process instead of one per app: the site's public
// mode, where nobody kills or restarts a demo, fits a small server this way.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AppName } from '../../lessons/apps.ts';
import type { SessionConfig } from '../engine/config.ts';
import { html, htmlPage } from '../engine/html.ts';
import { sendResponse } from './node-adapter.ts';
import { DEMO_SECURITY_HEADERS, setHeaders } from './security-headers.ts';
import { drain, listen, type MountedApp, mountApp } from './server.ts';
import { requireToken } from './worker-token.ts';

/** One app to mount: what startServer takes, minus the socket. */
export interface MountSpec {
  appName: AppName;
  config: SessionConfig;
  /** Ends in `/`; requests under it go to this app. */
  base: string;
  sharedUrl?: string;
}

/** The app for a request path, or null (404). It may throw: the visitor gets a 503 with the message. */
export type MountResolver = (path: string) => MountSpec | null;

/** What a resolver module exports: `resolver(options)`, the options passed through the supervisor as JSON. */
export type ResolverModule = { resolver(options: unknown): MountResolver };

export interface HostOptions {
  host: string;
  port?: number;
  publicOrigin?: string;
  token?: string;
  resolve: MountResolver;
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
  const apps = new Map<string, Promise<MountedApp>>();

  const appFor = (spec: MountSpec): Promise<MountedApp> => {
    let app = apps.get(spec.base);
    if (!app) {
      app = mountApp({ ...spec, origin: () => origin });
      apps.set(spec.base, app);
      // A mount that failed (a config error) is tried again on the next request.
      app.then(
        (mounted) => {
          for (const warning of mounted.warnings) console.error(`[session-lab] ${spec.base}: ${warning}`);
        },
        () => apps.get(spec.base) === app && apps.delete(spec.base),
      );
    }
    return app;
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
    appFor(spec).then(
      (app) => app.listener(req, res),
      (error: Error) => refuse(req, res, 503, 'The demo could not start', error.message),
    );
  };
  const guarded = requireToken(options.token, route);
  const server = createServer((req, res) => {
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
        const all = await Promise.allSettled(apps.values());
        await Promise.allSettled(all.map((app) => (app.status === 'fulfilled' ? app.value.close() : null)));
      });
      return closing;
    },
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, title: string, message: string) {
  req.resume();
  void sendResponse(
    htmlPage(title, html`<div class="error" role="alert"><h1>${title}</h1><p>${message}</p></div>`, {
      status,
      headers: { 'cache-control': 'no-store', ...(status === 503 ? { 'retry-after': '2' } : {}) },
    }),
    res,
  );
}
