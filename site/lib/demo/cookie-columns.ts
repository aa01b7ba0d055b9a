// Set-Cookie lines → the columns of Chrome DevTools' cookie table (Application > Storage > Cookies).
// Pure: no DOM, so the rules are unit-tested. Attribute rules: RFC 6265 §5.2 (case-insensitive names,
// Max-Age wins over Expires, an absent Path means the request's default path).

export interface ParsedSetCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: number;
  maxAge?: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: string;
}

export interface CookieRow {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** An ISO date, `Session`, or `?` when the attributes are unknown. */
  expires: string;
  size: number;
  httpOnly: boolean | null;
  secure: boolean | null;
  sameSite: string;
  /** False when no Set-Cookie line seen by this server process set this value. */
  attributesKnown: boolean;
}

/** Reads one Set-Cookie line; null when it has no `name=value` pair (a browser ignores it, §5.2 step 2). */
export function parseSetCookie(line: string): ParsedSetCookie | null {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const name = eq < 0 ? '' : pair.slice(0, eq).trim();
  if (name === '') return null;
  const cookie: ParsedSetCookie = { name, value: pair.slice(eq + 1).trim(), httpOnly: false, secure: false };
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'domain' && value !== '') cookie.domain = value.replace(/^\./, '');
    else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.maxAge = Number(value);
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expires = Date.parse(value);
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'samesite') cookie.sameSite = sameSiteOf(value);
  }
  return cookie;
}

/**
 * An unknown SameSite value is ignored, as if the attribute were missing: browsers then use their own
 * default (Chromium-based ones Lax, Firefox and Safari None; chapter 3 lists the sources).
 */
function sameSiteOf(value: string): string | undefined {
  const lower = value.toLowerCase();
  return lower === 'strict' ? 'Strict' : lower === 'lax' ? 'Lax' : lower === 'none' ? 'None' : undefined;
}

/** RFC 6265 §5.1.4: the request path up to, not including, its last `/`; `/` when that is empty. */
export function defaultPath(requestPath: string): string {
  const path = requestPath.split('?')[0] ?? '';
  const last = path.lastIndexOf('/');
  return !path.startsWith('/') || last <= 0 ? '/' : path.slice(0, last);
}

/** When the browser drops the cookie (ms), undefined for a browser-session cookie. */
export function expiryOf(cookie: ParsedSetCookie, setAt: number): number | undefined {
  if (cookie.maxAge !== undefined) return setAt + cookie.maxAge * 1000;
  return cookie.expires;
}

export const byteLength = (text: string): number => new TextEncoder().encode(text).length;

/** A Set-Cookie line with the time and request path it answered (both matter for Max-Age and Path). */
export interface SeenLine {
  line: string;
  setAt: number;
  requestPath: string;
}

export interface TableInput {
  /** The cookies the browser sent for this demo's path: name → values (session values masked). */
  received: Record<string, string[]>;
  /** The Set-Cookie lines that last changed this session's cookies, from the last exchange. */
  latest: SeenLine[];
  /** Lines seen earlier (a cookie set long ago is not in the latest lines when another one changed since). */
  remembered?: SeenLine[];
  /** The page's host: a host-only cookie (no Domain) shows it, as DevTools does. */
  host: string;
  /** True value sizes where the shown value is masked: name → bytes. */
  valueBytes?: Record<string, number>;
}

export interface CookieTable {
  rows: CookieRow[];
  /** Cookies the latest Set-Cookie lines removed (Max-Age ≤ 0 or an Expires in the past). */
  removed: string[];
}

interface Parsed {
  cookie: ParsedSetCookie;
  seen: SeenLine;
}

const parseSeen = (lines: SeenLine[]): Parsed[] =>
  lines.flatMap((seen) => {
    const cookie = parseSetCookie(seen.line);
    return cookie ? [{ cookie, seen }] : [];
  });

/** One row per cookie the browser holds, with attributes from the line that set it, when known. */
export function cookieTable(input: TableInput): CookieTable {
  const latest = parseSeen(input.latest);
  const known = [...latest, ...parseSeen(input.remembered ?? [])];
  const removed = latest
    .filter(({ cookie, seen }) => {
      const end = expiryOf(cookie, seen.setAt);
      return end !== undefined && end <= seen.setAt;
    })
    .map(({ cookie }) => cookie.name);
  const rows: CookieRow[] = [];
  for (const [name, values] of Object.entries(input.received)) {
    for (const value of values) {
      const size = byteLength(name) + (input.valueBytes?.[name] ?? byteLength(value));
      const match = known.find(({ cookie }) => cookie.name === name && cookie.value === value);
      rows.push(match ? rowFor(match, size, input.host) : unknownRow(name, value, size));
    }
  }
  return { rows, removed: removed.filter((name) => !Object.hasOwn(input.received, name)) };
}

function rowFor({ cookie, seen }: Parsed, size: number, host: string): CookieRow {
  const end = expiryOf(cookie, seen.setAt);
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain ?? host,
    path: cookie.path ?? defaultPath(seen.requestPath),
    expires: end === undefined ? 'Session' : new Date(end).toISOString(),
    size,
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    sameSite: cookie.sameSite ?? 'Lax (default)',
    attributesKnown: true,
  };
}

function unknownRow(name: string, value: string, size: number): CookieRow {
  return {
    name,
    value,
    domain: '?',
    path: '?',
    expires: '?',
    size,
    httpOnly: null,
    secure: null,
    sameSite: '?',
    attributesKnown: false,
  };
}
