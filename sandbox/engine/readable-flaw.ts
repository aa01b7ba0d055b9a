// The `script-readable-cookie` demo flaw (config `unsafeDemoFlaws`, chapter 11's stolen-id step): the
// session cookies a response sets lose HttpOnly, so page scripts can read them from document.cookie.
// Applied by the engine after the transport, so the cookie transport's flags stay as every demo runs them.
import type { CookieJar } from './cookie-jar.ts';

// #region readable-flaw
/** Drops HttpOnly from the session id cookie and the cookie store's data cookie, when this response sets them. */
export function readableByScripts(jar: CookieJar, cookieName: string): void {
  for (const name of [cookieName, `${cookieName}_data`]) {
    const cookie = jar.outgoing(name);
    if (cookie && cookie.maxAgeSeconds !== 0) jar.set({ ...cookie, httpOnly: false });
  }
}
// #endregion readable-flaw
