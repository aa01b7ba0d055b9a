// "Did this request come over https?", asked by the engine (the `__Secure-` cookie names and the Secure
// flag), the site's lab router (the X-Forwarded-Proto it hands the demos) and chapter 11's login app.
// One rule over the header values; the two adapters differ only in where a web Request and a Node
// IncomingMessage keep them.
import type { IncomingMessage } from 'node:http';

/**
 * https when the connection itself is TLS, or when a reverse proxy we trust (`trustProxy`) says its own
 * was (the first value of X-Forwarded-Proto).
 */
export function isHttps(
  overTls: boolean,
  forwardedProto: string | null | undefined,
  trustProxy: boolean,
): boolean {
  if (overTls) return true;
  return trustProxy && forwardedProto?.split(',')[0]?.trim() === 'https';
}

/** For a web Request: its URL says https, or a trusted proxy does. */
export function requestIsHttps(request: Request, trustProxy: boolean, url = new URL(request.url)): boolean {
  return isHttps(url.protocol === 'https:', request.headers.get('x-forwarded-proto'), trustProxy);
}

/** For a Node request: its socket is TLS, or a trusted proxy says so. */
export function incomingIsHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  const overTls = 'encrypted' in req.socket && req.socket.encrypted === true;
  return isHttps(overTls, String(req.headers['x-forwarded-proto'] ?? ''), trustProxy);
}
