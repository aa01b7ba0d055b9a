// The request's cookies in, the response's Set-Cookie lines out. Transports and the cookie store
// write through it; the engine applies it to the response once, at the end. On https it names every
// cookie `__Secure-<name>` (cookies.ts, sessionCookieName), reading and writing alike, so its users
// keep using the configured names.
import { type CookieValues, serializeSetCookie, sessionCookieName } from './cookies.ts';
import type { RequestCookies, SetCookie } from './types.ts';

/** The request's cookies in, the response's Set-Cookie out. */
export class CookieJar implements RequestCookies {
  readonly secure: boolean;
  readonly #received: CookieValues;
  readonly #outgoing = new Map<string, SetCookie>();

  constructor(received: CookieValues, secure: boolean) {
    this.#received = received;
    this.secure = secure;
  }

  get(name: string): string | undefined {
    return this.#received[sessionCookieName(name, this.secure)]?.[0];
  }

  set(cookie: SetCookie): void {
    this.#outgoing.set(cookie.name, cookie);
  }

  delete(name: string, path = '/'): void {
    // Secure on https: a browser ignores a Set-Cookie for a `__Host-`/`__Secure-` name without it,
    // so logout would leave the cookie behind (RFC 6265bis §4.1.3).
    this.#outgoing.set(name, {
      name,
      value: '',
      path,
      maxAgeSeconds: 0,
      httpOnly: true,
      secure: this.secure,
      sameSite: 'Lax',
    });
  }

  outgoing(name: string): SetCookie | undefined {
    return this.#outgoing.get(name);
  }

  /** What this response sets, under the names on the wire: each value, or null for a deletion. */
  changes(): [name: string, value: string | null][] {
    return [...this.#outgoing.values()].map((cookie) => [
      sessionCookieName(cookie.name, this.secure),
      cookie.maxAgeSeconds === 0 ? null : cookie.value,
    ]);
  }

  serialized(): string[] {
    return [...this.#outgoing.values()].map((cookie) =>
      serializeSetCookie(
        this.secure ? { ...cookie, name: sessionCookieName(cookie.name, true), secure: true } : cookie,
      ),
    );
  }

  applyTo(response: Response): Response {
    if (this.#outgoing.size === 0) return response;
    const headers = new Headers(response.headers);
    for (const value of this.serialized()) headers.append('set-cookie', value);
    // A response that sets a session cookie must never be cached and shared.
    headers.set('cache-control', 'no-store');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
