// A demo worker answers only whoever its supervisor trusts: each start makes a random token, given to
// the workers over IPC and sent by whoever forwards to them (the round-robin proxy, the site's router)
// as a request header. Anyone else on the machine who finds a worker's loopback port gets a 403, so
// the site's rate limit and caps cannot be bypassed by calling the port directly.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { html, htmlPage } from '../engine/html.ts';
import { sendResponse } from './node-listener.ts';

export const TOKEN_HEADER = 'x-session-lab-token';

export function newWorkerToken(): string {
  return randomBytes(32).toString('base64url');
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * `listener` behind the token check (none when `token` is unset: a server the user runs directly).
 * The header is removed before the app sees the request, so no page or inspector can show it.
 */
export function requireToken(token: string | undefined, listener: Listener): Listener {
  if (!token) return listener;
  const expected = Buffer.from(token);
  return (req, res) => {
    const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
    stripToken(req);
    // Constant time: the comparison tells nothing about how much of a guess was right.
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      listener(req, res);
      return;
    }
    req.resume();
    void sendResponse(
      htmlPage(
        'Forbidden',
        html`<div class="error" role="alert"><h1>Forbidden</h1><p>This demo process answers only the Session Lab site in front of it.</p></div>`,
        { status: 403, headers: { 'cache-control': 'no-store' } },
      ),
      res,
    );
  };
}

/** Both views of the headers: the parsed object and the raw list the request adapter reads. */
function stripToken(req: IncomingMessage): void {
  delete req.headers[TOKEN_HEADER];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]?.toLowerCase() === TOKEN_HEADER) raw.splice(i, 2);
}
