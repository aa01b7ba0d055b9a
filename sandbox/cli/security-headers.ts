// The security headers of every response a demo server sends: `npm run sandbox` on its own, and the demo
// workers and /lab/ routes behind the site. The lesson apps' pages are plain HTML (one <style> block,
// a few style attributes, no script), so their policy allows no script from anywhere: markup that ever
// slipped past the escaping of the `html` template still could not run.
import type { ServerResponse } from 'node:http';

/** What every response of the sandbox and of the site carries, whatever its Content-Security-Policy. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  // A Referer never leaves the site: demo URLs can hold a session id (transport=url, chapter 3). Same-
  // origin requests keep it, and with it the Origin header of their POSTs, which the cross-site check
  // reads (`no-referrer` would make a browser send `Origin: null`). The URL transport's own pages say
  // `no-referrer` (sandbox/transports/url.ts).
  'referrer-policy': 'same-origin',
  // frame-ancestors for browsers that predate it.
  'x-frame-options': 'SAMEORIGIN',
};

export const DEMO_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // Styles cannot run code; the pages' <style> block and style attributes need this.
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  // The site shows the demos in iframes of its own pages; nobody else may frame them.
  "frame-ancestors 'self'",
  "base-uri 'none'",
].join('; ');

export const DEMO_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': DEMO_CONTENT_SECURITY_POLICY,
  ...BASE_SECURITY_HEADERS,
};

/** Sets `headers` on `res` before it is answered; headers the answer names itself (writeHead) win. */
export function setHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) res.setHeader(name, headers[name] as string);
}
