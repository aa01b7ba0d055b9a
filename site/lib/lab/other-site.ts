// The "other site" of chapter 11's CSRF demo: an attacker's page that posts a form to the login demo's
// `email` route while the visitor is signed in beside it. It comes in two kinds:
//   port     another port of this lab (`npm start` opens a second listener, local only): another
//            origin but the same site, so SameSite=Lax cookies still go with its POST;
//   sandbox  a page of this origin served with `Content-Security-Policy: sandbox allow-forms`: an opaque
//            origin, so its POST is cross-site (`Origin: null`); the only kind a public site offers.
// The page is the lab's own: it only ever posts to a login demo path that the site offers, on this
// lab's own origin, and it echoes nothing a visitor sent but that checked path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendResponse } from '../../../sandbox/cli/node-listener.ts';
import { BASE_SECURITY_HEADERS } from '../../../sandbox/cli/security-headers.ts';
import { html, htmlPage } from '../../../sandbox/engine/html.ts';
import { hostName, refuseForeignHost } from './host-allow.ts';
import { parseLabPath } from './variant.ts';

export const OTHER_SITE_PATH = '/other-site/';
export const OTHER_SITE_KINDS = ['port', 'sandbox'] as const;
export type OtherSiteKind = (typeof OTHER_SITE_KINDS)[number];
/** The app whose `POST email` the other site forges (lessons/11-security, design §1). */
export const ATTACKED_APP = 'login';
/** What the forged form sets the victim's email to. */
export const ATTACKER_EMAIL = 'mallory@attacker.example';

export interface OtherSiteOptions {
  /** The lab's second listener, when it runs (local mode only). */
  port?: number;
  /** The variant bases a public site serves (offered.ts); any other target is refused. */
  offered?: ReadonlySet<string>;
  /** https when the visitor's connection is TLS (visitorScheme). */
  scheme: (req: IncomingMessage) => 'http' | 'https';
}

/** The login demo base a `?demo=` value names, exactly as the lab spells it, or null. */
export function attackTarget(demo: string | null, offered?: ReadonlySet<string>): string | null {
  if (!demo) return null;
  const parsed = parseLabPath(demo);
  if (!parsed || parsed.base !== demo || (parsed.variant.app as string) !== ATTACKED_APP) return null;
  if (parsed.variant.transport !== 'cookie') return null;
  return offered && !offered.has(parsed.base) ? null : parsed.base;
}

/** The kind a `?from=` value names; public mode has no second listener, so `port` is not offered there. */
export function otherSiteKind(from: string | null, portOffered: boolean): OtherSiteKind | null {
  if (from === 'sandbox') return 'sandbox';
  if (from === 'port' && portOffered) return 'port';
  return null;
}

/** The page itself: a prize draw whose button submits the victim's email change to `action`. */
export function otherSitePage(action: string, kind: OtherSiteKind): Response {
  const where =
    kind === 'port'
      ? 'This page comes from another port of the lab: another origin, but the same site.'
      : 'This page is sandboxed (an opaque origin): to the browser it comes from another site.';
  return htmlPage(
    'Prize draw (another site)',
    html`<h1>You have won a prize!</h1>
<p>${where}</p>
<form method="post" action="${action}">
<input type="hidden" name="email" value="${ATTACKER_EMAIL}">
<button>Claim your prize</button>
</form>
<p><small>The button posts <code>email=${ATTACKER_EMAIL}</code> to <code>${action}</code>.</small></p>`,
    { headers: { 'cache-control': 'no-store' } },
  );
}

/** The other site's headers: no script, forms only to the lab, framed only by the lab's pages. */
export function otherSiteHeaders(labOrigin: string, kind: OtherSiteKind): Record<string, string> {
  const policy = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `form-action ${labOrigin}`,
    `frame-ancestors ${labOrigin}`,
    "base-uri 'none'",
    // No allow-same-origin: the document gets an opaque origin, so its POST says `Origin: null`.
    ...(kind === 'sandbox' ? ['sandbox allow-forms'] : []),
  ].join('; ');
  // No X-Frame-Options: SAMEORIGIN would refuse the lab's page framing the other port.
  const { 'x-frame-options': _frame, ...base } = BASE_SECURITY_HEADERS;
  return { ...base, 'content-security-policy': policy };
}

function notFound(res: ServerResponse, why: string): void {
  void sendResponse(
    htmlPage('No such page', html`<div class="error" role="alert"><h1>No such page</h1><p>${why}</p></div>`, {
      status: 404,
      headers: { 'cache-control': 'no-store' },
    }),
    res,
  );
}

const NOT_A_TARGET =
  "The other site only posts to one of this lab's login demos, named by ?demo=/lab/login/<store>/<profile>/.";

/**
 * `GET /other-site/?demo=<base>&from=port|sandbox` on the lab's own listener: the sandboxed page here,
 * or a redirect to the second listener (same host name, its port). Returns false for other paths.
 */
export function answerOtherSite(
  req: IncomingMessage,
  res: ServerResponse,
  options: OtherSiteOptions,
): boolean {
  const url = new URL(req.url ?? '/', 'http://lab.local');
  if (url.pathname !== OTHER_SITE_PATH) return false;
  req.resume();
  const target = attackTarget(url.searchParams.get('demo'), options.offered);
  const kind = otherSiteKind(url.searchParams.get('from'), options.port !== undefined);
  if (req.method !== 'GET' || !target || !kind) {
    notFound(res, target ? 'Choose from=sandbox (or from=port on a local lab).' : NOT_A_TARGET);
    return true;
  }
  const host = req.headers.host ?? '';
  const labOrigin = `${options.scheme(req)}://${host}`;
  if (kind === 'port') {
    // Only the port is the visitor's choice of nothing: the host name is the one the front door allowed.
    const other = `http://${hostName(host)}:${options.port}${OTHER_SITE_PATH}?demo=${encodeURIComponent(target)}`;
    res.writeHead(303, { location: other, 'cache-control': 'no-store' });
    res.end();
    return true;
  }
  for (const [name, value] of Object.entries(otherSiteHeaders(labOrigin, 'sandbox')))
    res.setHeader(name, value);
  void sendResponse(otherSitePage(`${labOrigin}${target}email`, 'sandbox'), res);
  return true;
}

/**
 * The second listener (`npm start`, local only): `GET /other-site/?demo=<base>` and nothing else. Its
 * form posts to the lab on `labPort` under the host name the visitor used here.
 */
export function otherSiteListener(labPort: number, hosts: readonly string[], offered?: ReadonlySet<string>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    // Its form posts to the host name it was asked under: only the lab's own names (no open redirect).
    if (refuseForeignHost(req, res, hosts)) return;
    const url = new URL(req.url ?? '/', 'http://other.local');
    req.resume();
    const target = attackTarget(url.searchParams.get('demo'), offered);
    if (req.method !== 'GET' || url.pathname !== OTHER_SITE_PATH || !target) {
      notFound(res, NOT_A_TARGET);
      return;
    }
    const labOrigin = `http://${hostName(req.headers.host ?? '')}:${labPort}`;
    for (const [name, value] of Object.entries(otherSiteHeaders(labOrigin, 'port')))
      res.setHeader(name, value);
    void sendResponse(otherSitePage(`${labOrigin}${target}email`, 'port'), res);
  };
}

/**
 * The origins the lab's pages may frame the second listener from (the chapter page's `frame-src`). CSP
 * has no syntax for an IPv6 address, so those names are left out (the other port is then not framed).
 */
export function otherSiteFrameSources(port: number, hosts: readonly string[]): string[] {
  const names = new Set(['localhost', '127.0.0.1', ...hosts.filter((name) => !name.startsWith('['))]);
  return [...names].map((name) => `http://${name}:${port}`);
}
