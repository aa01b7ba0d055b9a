// Passes one HTTP request on to another local server and streams the answer back. Shared by the
// sandbox's round-robin proxy and the site's /lab/ router. A request's body is read whole first (bounded
// and timed, request-body.ts) and only then given a connection from the pool, so slow or endless
// uploads cannot hold the target's connections; it goes on with a Content-Length.
import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import { type BodyLimits, bodyLimit, hasBody, readBody, refuseBody } from './request-body.ts';

/** Hop-by-hop headers belong to one connection and are never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase()),
  );
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)),
  );
}

/**
 * The connection pool for forwarding to local servers: keep-alive, at most `maxSockets` per target. An
 * idle connection is dropped a second before the target said it would close it (node's targets send
 * `Keep-Alive: timeout=5`). Node applies that hint only when the agent has a timeout of its own; without
 * one an idle connection was kept until the target closed it, and a request sent as it did met a reset.
 */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, timeout: IDLE_CEILING_MS });
}

/** The longest a connection idles in the pool when the target announces no keep-alive timeout. */
const IDLE_CEILING_MS = 60_000;

export interface ForwardTarget {
  host: string;
  port: number;
  agent: Agent;
  /** Added to the forwarded request (e.g. x-forwarded-proto). */
  requestHeaders?: Record<string, string>;
  /** Added to the response (e.g. which worker answered). */
  responseHeaders?: Record<string, string>;
  /** Called when the target cannot be reached; it must answer `res` (or destroy it when headers went out). */
  onDown(): void;
  /** The ceilings for the body (request-body.ts defaults, the same the targets apply). */
  bodyLimits?: BodyLimits;
}

export function forward(req: IncomingMessage, res: ServerResponse, target: ForwardTarget): void {
  if (!hasBody(req)) {
    send(req, res, target);
    return;
  }
  void readBody(req, target.bodyLimits).then((read) => {
    if (read.ok) send(req, res, target, read.body);
    else void refuseBody(req, res, read.status, bodyLimit(req, target.bodyLimits));
  });
}

function send(req: IncomingMessage, res: ServerResponse, target: ForwardTarget, body?: Buffer): void {
  const headers = endToEnd(req.headers);
  // The body is complete: its length is known, and there is nothing left to wait a 100 Continue for.
  delete headers['content-length'];
  delete headers.expect;
  let answered = false;
  const outgoing = request(
    {
      host: target.host,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: {
        ...headers,
        ...(body ? { 'content-length': String(body.length) } : {}),
        'x-forwarded-for': req.socket.remoteAddress ?? '',
        ...target.requestHeaders,
      },
      agent: target.agent,
    },
    (answer) => {
      answered = true;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, {
        ...endToEnd(answer.headers),
        ...target.responseHeaders,
      });
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    },
  );
  // The target died between routing and answering (ECONNREFUSED, ECONNRESET). An error after its
  // answer came (it answered early and closed while the body was still going out) is not a crash:
  // the answer, a 413 say, passes through as it is.
  outgoing.on('error', () => {
    if (!answered) target.onDown();
  });
  outgoing.end(body);
}
