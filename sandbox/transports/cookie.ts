// The id in a cookie: HttpOnly (page scripts cannot read it), SameSite (cross-site requests leave it
// behind), Path, Secure on https, and either a browser-session cookie or Max-Age = the idle timeout.
import type { SessionConfig } from '../engine/config.ts';
import { sessionCookieName } from '../engine/cookies.ts';
import type { Transport } from '../engine/transport.ts';

// #region same-site-map
const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;
// #endregion same-site-map

export function cookieTransport(config: SessionConfig): Transport {
  return {
    kind: 'cookie',
    async read({ cookies, secure }) {
      // On https only the prefixed name counts: a plain one may have been planted over http.
      return cookies[sessionCookieName(config.cookieName, secure)] ?? [];
    },
    async write(response, { id, changed, expiresAt, extended, secure, cookies }) {
      // A persistent cookie is re-sent whenever the server extended the session, so the browser's
      // expiry follows the server's (a rolling cookie); a request that saved nothing (a 404, a page
      // that only reads, before the session is due for a touch) leaves it alone.
      if (!changed && !(config.cookiePersistent && id && expiresAt && extended)) return response;
      if (id === undefined) {
        cookies.delete(config.cookieName, config.cookiePath);
        return response;
      }
      // #region attributes
      cookies.set({
        name: config.cookieName,
        value: id,
        path: config.cookiePath,
        // #region flags
        httpOnly: true,
        secure,
        sameSite: SAME_SITE[config.cookieSameSite],
        // #endregion flags
        ...(config.cookiePersistent && expiresAt
          ? { maxAgeSeconds: Math.max(0, Math.round((expiresAt - Date.now()) / 1000)) }
          : {}),
      });
      // #endregion attributes
      return response;
    },
  };
}
