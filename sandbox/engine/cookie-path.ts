// Whether the browser will send the session cookie back to the app at all: a cookie is sent only to
// paths its Path covers (RFC 6265 §5.1.4), so a `cookiePath` outside the app's base makes a new session
// on every visit, silently. Said at start instead.
import type { SessionConfig } from './config.ts';

/** RFC 6265 §5.1.4 path-match: does a cookie with Path `cookiePath` go with a request for `path`? */
export function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

/** A warning when the session cookies (the id's, the cookie store's data) would never come back to `base`. */
export function cookiePathWarning(config: SessionConfig, base: string): string | undefined {
  const usesCookies = config.transport === 'cookie' || config.storageType === 'cookie';
  if (!usesCookies || pathMatches(base, config.cookiePath)) return undefined;
  return (
    `cookiePath ${JSON.stringify(config.cookiePath)} does not cover the app at ${JSON.stringify(base)}: ` +
    'the browser never sends the session cookie back, so every request starts a new session. ' +
    `Set cookiePath to ${JSON.stringify(base)} or a prefix of it, such as "/".`
  );
}
