// The inspector's buttons, answered for the caller's own session only (the inspector passes them here):
//   POST <base>_lab/regenerate  new id, same data
//   POST <base>_lab/expire      the record stays in the store but its life ends now
//   POST <base>_lab/forget      the browser drops its cookie (a new visitor); the record is left behind
//   POST <base>_lab/tamper      the browser's session cookie comes back with one character changed
//   POST <base>_lab/replay      (only with the `script-readable-cookie` demo flaw) the app's page as
//                               another browser gets it when it sends a stolen id (replay.ts)
// Each answers 204, so the page around the demo can reload the demo and its inspector. Each goes through
// the engine: the session ones as an app, tamper and replay (which need no session) by `serveWithoutSession`,
// so all of them meet the same cross-site refusal and error pages as any page.
import type { SessionConfig } from '../engine/config.ts';
import {
  isCookieValue,
  parseCookieHeader,
  serializeSetCookie,
  sessionCookieName,
} from '../engine/cookies.ts';
import type { App, Engine } from '../engine/engine.ts';
import { SessionLabError } from '../engine/errors.ts';
import { excerpt } from '../engine/html.ts';
import { requestIsHttps } from '../engine/https.ts';
import { isWellFormedId } from '../engine/ids.ts';
import { SET_FATE } from '../engine/session.ts';
import { replayRequest } from './replay.ts';

export const LAB_PATH = '_lab/';
/** A data cookie longer than this was never set by the cookie store (RFC 6265 §6.1: 4096 bytes). */
const MAX_DATA_COOKIE = 4096;

const noContent = () => new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });

/** The action of a `POST <base>_lab/<action>`, or undefined for any other request. */
export function labAction(request: Request, base: string): string | undefined {
  if (request.method !== 'POST' || !request.url.includes(LAB_PATH)) return undefined;
  const { pathname } = new URL(request.url);
  const prefix = `${base}${LAB_PATH}`;
  return pathname.startsWith(prefix) ? pathname.slice(prefix.length) : undefined;
}

/** Answers one button (`action` from `labAction`) through `engine`; `app` is the demo's own app. */
export function serveLab(
  engine: Engine,
  request: Request,
  action: string,
  app: App,
  base: string,
): Promise<Response> {
  const { config } = engine;
  if (action === 'tamper')
    return engine.serveWithoutSession(request, (url) =>
      tamperResponse(request, config, requestIsHttps(request, config.trustProxy, url)),
    );
  if (action === 'replay')
    return engine.serveWithoutSession(request, async (url) => {
      const secure = requestIsHttps(request, config.trustProxy, url);
      return withoutCookies(
        await engine.handle(await replayRequest(request, url, base, config, secure), app, base),
      );
    });
  return engine.handle(request, labApp(action), base);
}

/** The stolen-id demo's attacker's browser (replay.ts) sees the app's page; it sets no cookie here. */
function withoutCookies(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.delete('set-cookie');
  headers.delete('clear-site-data');
  headers.set('cache-control', 'no-store');
  return new Response(response.body, { status: response.status, headers });
}

export function labApp(action: string): App {
  return (_request, session) => {
    if (action === 'regenerate') {
      if (!session.isNew) session.regenerate();
    } else if (action === 'expire' || action === 'forget') {
      session[SET_FATE](action);
    } else {
      return new Response(`Unknown lab action ${JSON.stringify(excerpt(action, 40))}.\n`, { status: 404 });
    }
    return noContent();
  };
}

/**
 * Changes one character of the cookie that carries the session (the data cookie for the cookie store),
 * the way an attacker editing it would. The server must then refuse it and start a fresh session.
 */
export function tamperResponse(request: Request, config: SessionConfig, secure: boolean): Response {
  const configured = config.storageType === 'cookie' ? `${config.cookieName}_data` : config.cookieName;
  const name = sessionCookieName(configured, secure);
  const value = parseCookieHeader(request.headers.get('cookie'))[name]?.[0];
  if (!value) return new Response('There is no session cookie to tamper with yet.\n', { status: 409 });
  // The value is the client's, already percent-decoded (`%0d%0a` is a line break by now). It goes back
  // into a Set-Cookie only if it is something this server could have set: an id, or a sealed data
  // cookie (cookie-octets within the 4 KB a browser keeps). Anything else is refused before any header.
  const issuable =
    configured === config.cookieName
      ? isWellFormedId(value)
      : value.length <= MAX_DATA_COOKIE && isCookieValue(value);
  if (!issuable) {
    throw new SessionLabError(
      400,
      `[session-lab] the ${name} cookie is not one this server sets, so there is nothing to tamper with`,
      'Nothing was changed. Press "New visitor" (or delete the cookie) and the next page starts a fresh session.',
    );
  }
  const at = Math.floor(value.length / 2);
  const flipped = value[at] === 'A' ? 'B' : 'A';
  const response = noContent();
  response.headers.append(
    'set-cookie',
    serializeSetCookie({
      name,
      value: value.slice(0, at) + flipped + value.slice(at + 1),
      path: config.cookiePath,
      httpOnly: true,
      secure,
      sameSite: 'Lax',
    }),
  );
  return response;
}
