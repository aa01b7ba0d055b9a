// The two cookies the login app sets itself, beside the engine's session cookie:
// - `lab_visitor`: which visitor's accounts this browser sees (lab containment, not a defence the
//   chapter teaches). A random 256-bit value; only its hash is ever stored.
// - `lab_remember`: the remember-me token, `<selector>.<validator>` (login-remember.ts).
// Both HttpOnly, SameSite=Lax, Path = the app's base (the demo's cookie path).
import { parseCookieHeader, serializeSetCookie } from '../../sandbox/engine/cookies.ts';
import { requestIsHttps } from '../../sandbox/engine/https.ts';
import { generateId, hashId, isWellFormedId } from '../../sandbox/engine/ids.ts';
import { VISITOR_COOKIE } from '../../sandbox/lab/lab-visitor.ts';

export { VISITOR_COOKIE };
// `lab_`: the engine's inspector masks these values like the session id (APP_CREDENTIAL_PREFIX).
export const REMEMBER_COOKIE = 'lab_remember';

export interface Visitor {
  /** The hash of the cookie's value: the name of this visitor's accounts. */
  hash: string;
  /** The cookie's value when this response must set it (it came missing or malformed). */
  issue?: string;
}

export function readCookie(request: Request, name: string): string | undefined {
  return parseCookieHeader(request.headers.get('cookie'))[name]?.[0];
}

export function readVisitor(request: Request): Visitor {
  const value = readCookie(request, VISITOR_COOKIE);
  if (value !== undefined && isWellFormedId(value)) return { hash: hashId(value) };
  const issue = generateId();
  return { hash: hashId(issue), issue };
}

/** A Set-Cookie line for one of the app's cookies; `maxAgeSeconds` 0 deletes it. */
export function appCookie(
  request: Request,
  base: string,
  name: string,
  value: string,
  maxAgeSeconds?: number,
) {
  return serializeSetCookie({
    name,
    value,
    path: base,
    maxAgeSeconds,
    httpOnly: true,
    // Over https, directly or behind a TLS proxy that says so. The proxy header is trusted here: an
    // untrusted `X-Forwarded-Proto` can only make the sender's own cookies Secure (then not sent back
    // over http), which harms no one else.
    secure: requestIsHttps(request, true),
    sameSite: 'Lax',
  });
}
