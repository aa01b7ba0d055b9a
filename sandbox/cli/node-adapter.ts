// node:http ⇄ web Request/Response, so a fetch-style handler can listen on a port.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Promise<Response>;

/** Bodies larger than this are refused before they are read (413). */
const MAX_BODY_BYTES = 1_048_576;

export function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(origin + (req.url ?? '/'), init);
}

export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  // A web Response built with a status only has statusText ''; node then writes the standard reason phrase.
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (!response.body) {
    res.end();
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** A node:http request listener that serves a fetch-style handler. */
export function nodeListener(handler: FetchHandler, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`Request body over ${MAX_BODY_BYTES} bytes refused.\n`);
      return;
    }
    handler(toRequest(req, origin()))
      .then((response) => sendResponse(response, res))
      .catch((error: unknown) => {
        console.error('[session-lab] request failed:', error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal error; it was logged.\n');
      });
  };
}
