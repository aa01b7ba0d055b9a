// node:http ⇄ web Request/Response, so a fetch-style handler can listen on a port. The translation is
// @hono/node-server's request listener; what is ours is what a demo server needs around it: a body read
// whole within limits before the handler runs, the configured origin in every URL, and errors that are
// logged but never shown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener, RequestError } from '@hono/node-server';
import { type BodyLimits, bodyLimit, hasBody, readBody, refuseBody } from './request-body.ts';

export type FetchHandler = (request: Request) => Promise<Response>;

const PLAIN = 'text/plain; charset=utf-8';

/**
 * A node:http request listener that serves a fetch-style handler at `origin()` (the public origin, not
 * whatever Host the client sent). A body is read whole first, within the limits of request-body.ts (413
 * over the size, 408 past the timeout, before the handler runs): apps and transports read that buffer,
 * never the socket. A request without one gets hono's Request, which is built for real only when
 * someone needs more than method, URL and headers.
 *
 * hono's listener also replaces the global Request and Response with its own lightweight ones (its
 * default): a page built with `new Response(string)` is then written as that string, with no body stream
 * made and read back. Only the sandbox's own processes call this; the site's process, where Astro runs,
 * uses `sendResponse` alone and keeps Node's globals.
 */
export function nodeListener(handler: FetchHandler, origin: () => string, limits: BodyLimits = {}) {
  const bodies = new WeakMap<IncomingMessage, Buffer<ArrayBuffer>>();
  const listener = getRequestListener(
    (request, env) => {
      const incoming = env.incoming as IncomingMessage;
      const body = bodies.get(incoming);
      // A GET or HEAD keeps no body (a web Request cannot carry one); it was read only to bound it.
      if (body === undefined || request.method === 'GET' || request.method === 'HEAD')
        return handler(request);
      return handler(
        new Request(request.url, { method: request.method, headers: headersOf(incoming), body }),
      );
    },
    {
      // The body, if any, was read before the handler ran: there is nothing left to drain.
      autoCleanupIncoming: false,
      errorHandler(error) {
        if (error instanceof RequestError) return badTarget();
        console.error('[session-lab] request failed:', error);
        return new Response('Internal error; it was logged.\n', {
          status: 500,
          headers: { 'content-type': PLAIN },
        });
      },
    },
  );
  return (req: IncomingMessage, res: ServerResponse): void => {
    const target = req.url ?? '/';
    // `OPTIONS *`, or a proxy's absolute form naming a host: not a path on this server.
    if (!target.startsWith('/')) {
      void sendResponse(badTarget(), res);
      return;
    }
    // In absolute form the URL is the configured origin's, whatever the Host header says.
    req.url = origin() + target;
    if (!hasBody(req)) {
      void listener(req, res);
      return;
    }
    void readBody(req, limits).then((read) => {
      if (!read.ok) return refuseBody(req, res, read.status, bodyLimit(req, limits));
      bodies.set(req, read.body);
      return listener(req, res);
    });
  };
}

/** A target that makes no URL: a clear 400, and the connection closes. */
const badTarget = () =>
  new Response('Bad request: the request target is not a path on this server.\n', {
    status: 400,
    headers: { 'content-type': PLAIN, connection: 'close' },
  });

/** The request's headers as sent, repeated ones kept. */
function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  return headers;
}

/**
 * Writes a web Response to a node:http response, for a listener that answers some requests itself (a
 * refusal, an error page) before or instead of a fetch-style handler. Each Set-Cookie is its own line.
 */
export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  // A web Response built with a status only has statusText ''; node then writes the standard reason phrase.
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
}
