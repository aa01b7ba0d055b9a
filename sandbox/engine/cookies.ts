// Cookie header text <-> objects. A lenient reader and a strict writer (RFC 6265). No engine imports.
import type { SetCookie } from './types.ts';

/** One cookie as the client sent it, with every value it sent under that name. */
export type CookieValues = Record<string, string[]>;

/**
 * The object cookies are read into. Its prototype chain holds no Object.prototype, so `__proto__`,
 * `constructor` or `toString` are plain cookie names, as with Object.create(null); but an
 * Object.create(null) object starts in V8's slow dictionary mode, where adding one cookie costs more
 * than a RAM-store load.
 */
function CookieDictionary(): void {}
CookieDictionary.prototype = Object.create(null);

/**
 * Parses a `Cookie` header. Keeps every value of a repeated name, in order, because a browser may
 * send two cookies with one name (different Path or Domain; expressjs/session#881): the caller
 * decides which one to trust. Pairs without `=` and undecodable values are skipped, never thrown.
 */
export function parseCookieHeader(header: string | null): CookieValues {
  const cookies = new (CookieDictionary as unknown as new () => CookieValues)();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '') continue; // `; =x`: the name is empty once trimmed
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    // Without a `%` there is nothing to decode (and nothing that could fail to decode).
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        continue;
      }
    }
    const values = cookies[name];
    if (values) values.push(value);
    else cookies[name] = [value];
  }
  return cookies;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 6265 §4.1.1 cookie-name
const VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/; // cookie-octet: no space, ", comma, ; or \
const PATH = /^[\x20-\x3A\x3C-\x7E]+$/; // any CHAR except CTLs or ";"

/** Whether a value can go back into a `Set-Cookie` as it is (RFC 6265 cookie-octets: no CR, LF, `;`, space…). */
export function isCookieValue(value: string): boolean {
  return VALUE.test(value);
}

/** Writes a `Set-Cookie` value. Throws instead of emitting a header a browser would misread. */
export function serializeSetCookie(cookie: SetCookie): string {
  if (!TOKEN.test(cookie.name)) throw new TypeError(`invalid cookie name: ${JSON.stringify(cookie.name)}`);
  if (!VALUE.test(cookie.value))
    throw new TypeError(`invalid characters in the value of cookie ${cookie.name}`);
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.path !== undefined) {
    if (!PATH.test(cookie.path)) throw new TypeError(`invalid cookie path: ${JSON.stringify(cookie.path)}`);
    parts.push(`Path=${cookie.path}`);
  }
  if (cookie.maxAgeSeconds !== undefined) {
    if (!Number.isFinite(cookie.maxAgeSeconds))
      throw new TypeError(`invalid Max-Age for cookie ${cookie.name}: ${cookie.maxAgeSeconds}`);
    const seconds = Math.floor(cookie.maxAgeSeconds);
    parts.push(`Max-Age=${seconds}`);
    // Expires as well, for old clients; Max-Age wins where both are understood.
    parts.push(`Expires=${new Date(Date.now() + seconds * 1000).toUTCString()}`);
  }
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.secure) parts.push('Secure');
  if (cookie.sameSite) {
    if (cookie.sameSite === 'None' && !cookie.secure) throw new TypeError('SameSite=None requires Secure');
    parts.push(`SameSite=${cookie.sameSite}`);
  }
  return parts.join('; ');
}

/**
 * The prefix of cookies an app sets as credentials of its own (the login demo's `lab_visitor` and
 * `lab_remember`): the inspector masks their values as it masks the session id.
 */
export const APP_CREDENTIAL_PREFIX = 'lab_';

/** What the browser guarantees for a `__Secure-` name: set only by an https page, and only with Secure. */
export const SECURE_PREFIX = '__Secure-';

/**
 * The name a session cookie has on this request: on https, `__Secure-<name>`, so a page on plain http
 * (a network attacker, a sibling site without TLS) cannot plant or overwrite it (RFC 6265bis §4.1.3).
 * `__Host-` would also forbid a Domain, but needs Path=/, and each demo has a path of its own. A name
 * the configuration already prefixes stays as it is; on http the name is the configured one, since a
 * browser refuses a prefixed cookie there.
 */
export function sessionCookieName(name: string, secure: boolean): string {
  return secure && !name.startsWith(SECURE_PREFIX) && !name.startsWith('__Host-')
    ? SECURE_PREFIX + name
    : name;
}
