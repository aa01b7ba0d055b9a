// Public mode and the CSRF demo's unsafe variant (engine flaw `no-cross-site-check`). The login
// accounts are each visitor's own, but a page elsewhere could still make a classmate's browser post to
// that variant with their cookies. A browser attaches the demo's SameSite=Lax cookies to a POST only
// when it is same-site, so in public mode the site lets through only requests whose browser says they
// are same-origin, typed, or cross-site (cookies left off: the lab's sandboxed other site shows that);
// a same-site page (a sibling subdomain of the school's domain) or any request that cannot tell is refused
// here, before the demo, exactly as the engine's own check would.
// How it relates to that check (`crossSiteEvidence` in sandbox/engine/cross-site.ts, which the lab API
// uses too): the same rule but for one deliberate gap, `Sec-Fetch-Site: cross-site` passes here so the
// sandboxed other site can still show SameSite keeping the cookie off. It is written out on its own, not
// as an exception to the engine's function, so that no change to the engine's check can loosen it.
import type { IncomingMessage } from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The Sec-Fetch-Site values whose POST carries no SameSite=Lax cookie of another page's making. */
const PASSING_SITES = new Set(['same-origin', 'none', 'cross-site']);

/** The evidence that refuses this request to an unsafe CSRF variant in public mode, or null. */
export function publicCrossSiteRefusal(req: IncomingMessage, host: string): string | null {
  if (SAFE_METHODS.has(req.method ?? 'GET')) return null;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string')
    return PASSING_SITES.has(site) ? null : `Sec-Fetch-Site: ${site.slice(0, 40)}`;
  const origin = req.headers.origin;
  if (origin === undefined) return null; // not a browser: no visitor's cookie is being borrowed
  try {
    if (origin !== 'null' && new URL(origin).host === host) return null;
  } catch {}
  // Without Fetch Metadata (plain http), an Origin cannot say same-site from cross-site: refused.
  return `Origin: ${origin.slice(0, 200)}`;
}
