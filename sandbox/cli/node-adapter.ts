// node:http ⇄ web Request/Response, so a fetch-style handler can listen on a port.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { unreadText, untouchedHeaders } from '../engine/text-response.ts';
import { lazyRequest, requestUrl } from './lazy-request.ts';
import { type BodyLimits, bodyLimit, hasBody, readBody, refuseBody } from './request-body.ts';

export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * The web Request for `req`, with `body` (read by `readBody`, so already bounded) as its body. Apps and
 * transports read that buffer, never the socket: none of them can read more than the limit.
 */
export function toRequest(req: IncomingMessage, origin: string, body?: Buffer<ArrayBuffer>): Request {
  const method = req.method ?? 'GET';
  const url = requestUrl(origin, req.url ?? '/');
  // No body: a Request that is built only if someone asks for more than method, URL and headers.
  if (method === 'GET' || method === 'HEAD') return lazyRequest(method, url, req.rawHeaders);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  return new Request(url, { method, headers, body: body ?? null });
}

export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  // A web Response built with a status only has statusText ''; node then writes the standard reason phrase.
  const reason = response.statusText || undefined;
  // A page built from a string goes out as that string: node sends it with the head in one write,
  // and no body stream is made or read back (the same bytes: both are UTF-8). Asked before `body`,
  // which would make the stream; its headers, when nobody asked for a Headers, go out as they are.
  const text = unreadText(response);
  const plain = text === undefined ? undefined : untouchedHeaders(response);
  if (text !== undefined && plain !== undefined) {
    res.writeHead(response.status, reason, plain);
    res.end(text);
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, reason, headers);
  if (text !== undefined) {
    res.end(text);
    return;
  }
  if (!response.body) {
    res.end();
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A node:http request listener that serves a fetch-style handler. A body is read whole first, within
 * the limits of request-body.ts (413 over the size, 408 past the timeout, before the handler runs).
 */
export function nodeListener(handler: FetchHandler, origin: () => string, limits: BodyLimits = {}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!hasBody(req)) {
      serve(handler, req, res, origin());
      return;
    }
    void readBody(req, limits).then((read) => {
      if (read.ok) serve(handler, req, res, origin(), read.body);
      else void refuseBody(req, res, read.status, bodyLimit(req, limits));
    });
  };
}

function serve(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
  body?: Buffer<ArrayBuffer>,
) {
  let request: Request;
  try {
    request = toRequest(req, origin, body);
  } catch {
    // A target that makes no URL (`OPTIONS *`, a proxy's absolute form naming another host): a clear
    // 400, not an exception that would end the process.
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end('Bad request: the request target is not a path on this server.\n');
    return;
  }
  handler(request)
    .then((response) => sendResponse(response, res))
    .catch((error: unknown) => {
      console.error('[session-lab] request failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error; it was logged.\n');
    });
}
