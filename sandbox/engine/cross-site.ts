// Cross-site request forgery: another site's page can make a visitor's browser POST a form here, and
// the browser attaches the session cookie (SameSite=Lax stops that only for cross-site, not same-site,
// requests, and the URL and hidden-field transports carry no cookie to stop at all). The engine refuses
// any state-changing request that the browser itself says came from elsewhere
// (OWASP CSRF Prevention Cheat Sheet, "Fetch Metadata headers" and "Verifying Origin With Standard Headers").
import type { IncomingMessage } from 'node:http';
import { SessionLabError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class CrossSiteRequestError extends SessionLabError {
  constructor(evidence: string) {
    super(
      403,
      `[session-lab] a page on another site sent this request (${evidence}), so it was refused and nothing was changed`,
      'Submit the form from the page on this site.',
    );
  }
}

/** What a browser says about where a request came from: its method and the two headers, as sent. */
export interface FetchEvidence {
  method: string;
  fetchSite: string | null;
  origin: string | null;
}

/**
 * The header that shows an unsafe request came from another site (`Sec-Fetch-Site: cross-site`), or null.
 * `Sec-Fetch-Site` is asked first: every current browser sends it, and only `same-origin` (a page of this
 * origin) and `none` (the visitor typed or bookmarked it) may change state; `same-site` would trust every
 * sibling subdomain. Without it, the `Origin` must name this origin's host (`null`, sent by sandboxed
 * frames and no-referrer pages, does not). A request with neither header is not from a browser, so no
 * visitor's cookie is being abused: it passes. The engine and the site's lab API both ask this.
 */
// #region check
export function crossSiteEvidence(
  { method, fetchSite, origin }: FetchEvidence,
  ownHost: string,
): string | null {
  if (SAFE_METHODS.has(method)) return null;
  if (fetchSite !== null)
    return fetchSite === 'same-origin' || fetchSite === 'none' ? null : `Sec-Fetch-Site: ${fetchSite}`;
  if (origin === null) return null;
  if (origin === 'null') return 'Origin: null';
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return `Origin: ${JSON.stringify(origin.slice(0, 100))}`;
  }
  return host === ownHost ? null : `Origin: ${origin.slice(0, 200)}`;
}

/** The engine's question, for a web Request. */
export function crossSiteSource(request: Request, url: URL, trustProxy: boolean): string | null {
  // Behind the site's front server (or a trusted proxy) the visitor's host is the forwarded one.
  const forwarded = trustProxy ? request.headers.get('x-forwarded-host') : null;
  const { headers } = request;
  return crossSiteEvidence(
    { method: request.method, fetchSite: headers.get('sec-fetch-site'), origin: headers.get('origin') },
    forwarded || url.host,
  );
}
// #endregion check

/** The same question for a Node request, judged against the Host it was sent to (the site's lab API). */
export function incomingCrossSiteSource(req: IncomingMessage): string | null {
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === 'string' ? value : null;
  };
  return crossSiteEvidence(
    { method: req.method ?? 'GET', fetchSite: header('sec-fetch-site'), origin: header('origin') },
    req.headers.host ?? '',
  );
}
