// How a session id travels between client and server: what the engine asks of a transport. The ways
// themselves are one small module each in ../transports/.
import type { CookieValues } from './cookies.ts';
import type { RequestCookies } from './types.ts';

export interface IncomingRequest {
  request: Request;
  url: URL;
  cookies: CookieValues;
  /** True on https: the id cookie is then `__Secure-<cookieName>` (cookies.ts, sessionCookieName). */
  secure: boolean;
}

export interface OutgoingId {
  /** The id the client should hold from now on; undefined means it should hold none. */
  id: string | undefined;
  /** True when the client's copy must change (new id, regenerated, destroyed, rejected). */
  changed: boolean;
  /** When the session expires, for persistent cookies. */
  expiresAt: number | undefined;
  /** True when this request saved the session with a new expiry (a rolling cookie follows it). */
  extended: boolean;
  secure: boolean;
  cookies: RequestCookies;
  /** The request's URL: relative links resolve against it, and its origin tells our links from others. */
  url: URL;
}

export interface Transport {
  readonly kind: string;
  /** Every id the client offered, in the order it offered them (a cookie name may repeat). */
  read(incoming: IncomingRequest): Promise<string[]>;
  /**
   * The ids a read-only inspection (`GET _inspect`) names, when they travel differently from `read`:
   * the hidden-field transport's inspector has no form to post. Defaults to `read`.
   */
  peek?(incoming: IncomingRequest): Promise<string[]>;
  /** Puts the id into the response: a Set-Cookie, rewritten links, or hidden form fields. */
  write(response: Response, outgoing: OutgoingId): Promise<Response>;
}
