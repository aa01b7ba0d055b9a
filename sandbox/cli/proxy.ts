// The supervisor's public port: a round-robin HTTP proxy over the workers. Each response says which
// process answered (`x-session-lab-worker: <pid>`), so a per-process store (RAM) shows its limit.
// A request routed to a worker that is down gets a clear 502 page; it is NOT re-routed to a live
// worker, because seeing the crash is the point of the demo. It passes the workers' token on
// (worker-token.ts) and, when another server is in front of it, asks the same of its own callers.
import { createServer, type Server } from 'node:http';
import { html, htmlPage } from '../engine/html.ts';
import { forward, keepAliveAgent } from './forward.ts';
import { sendResponse } from './node-listener.ts';
import { CONNECTION_TIMEOUTS } from './request-body.ts';
import { DEMO_SECURITY_HEADERS, setHeaders } from './security-headers.ts';
import { requireToken, TOKEN_HEADER } from './worker-token.ts';

export const WORKER_HEADER = 'x-session-lab-worker';

export interface Upstream {
  /** 1-based, as printed. */
  readonly number: number;
  readonly pid: number | undefined;
  readonly port: number | undefined;
  readonly state: 'starting' | 'ready' | 'down';
}

export interface Proxy {
  server: Server;
  close(): void;
}

export interface ProxyToken {
  /** Sent to the workers with every request. */
  token: string;
  /** Refuse callers that do not send it themselves (403). */
  guard: boolean;
}

/** `upstreams()` is read on every request, so restarts (new pid, new port) take effect at once. */
export function roundRobinProxy(
  host: string,
  upstreams: () => readonly Upstream[],
  { token, guard }: ProxyToken,
): Proxy {
  const agent = keepAliveAgent(64);
  // #region rotation
  let next = 0;
  let lastPage = 0;
  const route = requireToken(guard ? token : undefined, (req, res) => {
    const all = upstreams();
    // The inspector and its buttons ask about the session the visitor just saw, so they go to the
    // worker that served the last page and take no turn of their own; otherwise every inspector call
    // would shift the rotation and the page would always land on the same worker.
    if (!isInspection(req.url)) lastPage = next++;
    const upstream = all[lastPage % all.length] as Upstream;
    // #endregion rotation
    // #region down
    const down = () => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      void sendResponse(workerDownPage(upstream), res);
    };
    if (upstream.state !== 'ready' || upstream.port === undefined) {
      req.resume();
      down();
      return;
    }
    // #endregion down
    forward(req, res, {
      host,
      port: upstream.port,
      agent,
      requestHeaders: { [TOKEN_HEADER]: token },
      // #region pid
      responseHeaders: { [WORKER_HEADER]: String(upstream.pid) },
      // #endregion pid
      onDown: down,
    });
  });
  const server = createServer(CONNECTION_TIMEOUTS, (req, res) => {
    // For its own 502 and 403 pages; a worker's answer carries the same headers.
    setHeaders(res, DEMO_SECURITY_HEADERS);
    route(req, res);
  });
  return {
    server,
    close() {
      server.close();
      server.closeIdleConnections();
      agent.destroy();
    },
  };
}

/** `<base>_inspect` and `<base>_lab/<action>`: requests about the session rather than pages of the app. */
export function isInspection(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0] ?? '';
  return path.endsWith('/_inspect') || path.includes('/_lab/');
}

function workerDownPage(upstream: Upstream): Response {
  const which =
    upstream.pid === undefined
      ? `worker #${upstream.number}`
      : `worker #${upstream.number} (pid ${upstream.pid})`;
  const why =
    upstream.state === 'starting' ? 'is starting and not ready yet' : 'is not running: it stopped or crashed';
  return htmlPage(
    'Worker down',
    html`<div class="error" role="alert"><h1>This request reached a process that is down</h1>
<p>The round-robin proxy sent it to ${which}, which ${why}.</p>
<p>Requests are not re-routed, so you can see the crash. Reload: the next request goes to the next worker.</p></div>`,
    { status: 502, headers: { 'cache-control': 'no-store', 'retry-after': '1' } },
  );
}
