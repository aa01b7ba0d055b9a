// URL rewriting: the id rides in the query string of every link, form action and redirect the app
// emits. It works without cookies, and it leaks: into history, bookmarks, shared links, server logs
// and the Referer header (OWASP Session Management, "Session ID Exposure"). We send
// `Referrer-Policy: no-referrer` to close the last of those.
import type { SessionConfig } from '../engine/config.ts';
import { escapeAttribute, isHtml, isLocalLink, withBody } from './html.ts';
import type { Transport } from './types.ts';

// Links and forms only: a navigation needs the session; a stylesheet or icon (<link>) does not, and
// an id in its URL would only spread the token further and defeat caching.
const LINK_ATTRIBUTE = /(<(?:a|form)\b[^>]*?\s(?:href|action)\s*=\s*)(["'])(.*?)\2/gi;

/**
 * `href` with `param=id` in its query, otherwise as written: a relative link stays relative (it must
 * still resolve against the page it is on) and the other parameters keep their exact bytes.
 */
export function withIdParam(href: string, param: string, id: string): string {
  const hashAt = href.indexOf('#');
  const hash = hashAt < 0 ? '' : href.slice(hashAt);
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const kept = (queryAt < 0 ? '' : beforeHash.slice(queryAt + 1))
    .split('&')
    .filter((pair) => pair !== '' && new URLSearchParams(pair).keys().next().value !== param);
  kept.push(`${encodeURIComponent(param)}=${encodeURIComponent(id)}`);
  return `${path}?${kept.join('&')}${hash}`;
}

export function urlTransport(config: SessionConfig): Transport {
  const param = config.cookieName;
  /** A link on this site: a path, or an absolute URL with the request's own origin (Response.redirect needs one). */
  const isSameSite = (href: string, page: URL): boolean => {
    if (isLocalLink(href)) return true;
    if (!/^https?:\/\//i.test(href)) return false;
    try {
      return new URL(href).origin === page.origin;
    } catch {
      return false;
    }
  };
  return {
    kind: 'url',
    async read({ url }) {
      return url.searchParams.getAll(param);
    },
    async write(response, { id, url }) {
      const headers = new Headers(response.headers);
      headers.set('referrer-policy', 'no-referrer');
      let out = new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
      if (id === undefined) return out;
      const location = out.headers.get('location');
      if (location && isSameSite(location, url))
        out.headers.set('location', withIdParam(location, param, id));
      if (isHtml(out)) {
        const html = await out.text();
        out = withBody(
          out,
          html.replace(LINK_ATTRIBUTE, (whole, start: string, quote: string, written: string) => {
            const href = written.replace(/&amp;/g, '&');
            return isSameSite(href, url)
              ? `${start}${quote}${escapeAttribute(withIdParam(href, param, id))}${quote}`
              : whole;
          }),
        );
      }
      return out;
    },
  };
}
