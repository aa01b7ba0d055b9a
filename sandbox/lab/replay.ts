// The stolen-id demo's "attacker's browser" (chapter 11): `POST <base>_lab/replay` with the form
// field `id` (and `data`, the cookie store's data cookie) answers with the app's page as a browser
// holding nothing but those would get it. It replays only the caller's own cookies (the ones its
// request carries), so it is never a tool for trying someone else's id; and it carries the caller's
// `lab_visitor` cookie along, so the replay stays inside that visitor's accounts (the login app shows
// a session only to the visitor it was signed in under). Served only with `script-readable-cookie`:
// without it no page script can read the id to replay.
import type { SessionConfig } from '../engine/config.ts';
import { isCookieValue, parseCookieHeader, sessionCookieName } from '../engine/cookies.ts';
import { SessionLabError } from '../engine/errors.ts';
import { isWellFormedId } from '../engine/ids.ts';
import { VISITOR_COOKIE } from './lab-visitor.ts';

/** The GET of `base` the attacker's browser would send, or a 4xx error explaining why not. */
export async function replayRequest(
  request: Request,
  url: URL,
  base: string,
  config: SessionConfig,
  secure: boolean,
): Promise<Request> {
  if (!config.unsafeDemoFlaws.includes('script-readable-cookie')) {
    throw new SessionLabError(
      404,
      '[session-lab] replay is part of the stolen-id demo only',
      'It needs the demo whose session cookie page scripts can read.',
    );
  }
  const type = request.headers.get('content-type') ?? '';
  const form = type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(await request.text())
    : new URLSearchParams();
  const stolen = form.get('id') ?? '';
  const cookies = parseCookieHeader(request.headers.get('cookie'));
  const name = sessionCookieName(config.cookieName, secure);
  if (!isWellFormedId(stolen) || !(cookies[name] ?? []).includes(stolen)) {
    throw new SessionLabError(
      403,
      '[session-lab] only the session id this browser holds can be replayed',
      'Run the script first: it reads the id from this demo page.',
    );
  }
  const sent = [`${name}=${stolen}`];
  // With the cookie store the session's data rides in a second cookie, stolen alongside the id.
  const data = form.get('data') ?? '';
  const dataName = sessionCookieName(`${config.cookieName}_data`, secure);
  if (data !== '') {
    if (!(cookies[dataName] ?? []).includes(data) || !isCookieValue(data)) {
      throw new SessionLabError(
        403,
        '[session-lab] only the session data cookie this browser holds can be replayed',
        'Run the script again: it reads the cookies from this demo page.',
      );
    }
    sent.push(`${dataName}=${data}`);
  }
  const visitor = cookies[VISITOR_COOKIE]?.[0];
  if (visitor && isWellFormedId(visitor)) sent.push(`${VISITOR_COOKIE}=${visitor}`);
  const headers = new Headers({ cookie: sent.join('; ') });
  // The scheme and host the engine was told by the site in front of it, so the page reads the same.
  for (const header of ['x-forwarded-proto', 'x-forwarded-host']) {
    const value = request.headers.get(header);
    if (value !== null) headers.set(header, value);
  }
  return new Request(new URL(base, url), { method: 'GET', headers });
}
