// URL rewriting: the id rides in the query string of every link, form action and redirect the app
// emits. It works without cookies, and it leaks: into history, bookmarks, shared links, server logs
// and the Referer header (OWASP Session Management, "Session ID Exposure"). We send
// `Referrer-Policy: no-referrer` to close the last of those, and `Cache-Control: no-store` on every page
// that carries the id, as the cookie jar does for a Set-Cookie.
import type { SessionConfig } from '../engine/config.ts';
import type { Transport } from '../engine/transport.ts';
import { escapeAttribute, isHtml, isLocalLink, withBody } from './html.ts';

// #region links
// Links and forms only: a navigation needs the session; a stylesheet or icon (<link>) does not, and
// an id in its URL would only spread the token further and defeat caching.
const LINK_OR_FORM = /<(a|form)\b[^>]*>/gi;
// #endregion links
/** The tag's href/action, quoted or not (HTML allows `href=/next`). */
const TARGET = /(\s(?:href|action)\s*=\s*)(?:(["'])(.*?)\2|([^\s"'=<>`]+))/i;
/** A form that submits with GET: no method, or method=get (quoted or not). */
const POST_LIKE = /\smethod\s*=\s*["']?\s*(post|dialog)\b/i;

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
      // #region referrer
      const headers = new Headers(response.headers);
      headers.set('referrer-policy', 'no-referrer');
      // #endregion referrer
      let out = new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
      if (id === undefined) return out;
      // The id is in this response's links or Location now: a shared cache must not hand it to others.
      // #region redirect
      out.headers.set('cache-control', 'no-store');
      const location = out.headers.get('location');
      if (location && isSameSite(location, url))
        out.headers.set('location', withIdParam(location, param, id));
      // #endregion redirect
      if (isHtml(out)) {
        const html = await out.text();
        const hidden = `<input type="hidden" name="${escapeAttribute(param)}" value="${escapeAttribute(id)}">`;
        out = withBody(
          out,
          // #region each-link
          html.replace(LINK_OR_FORM, (tag, name: string) => {
            const rewritten = tag.replace(
              TARGET,
              (whole, start: string, quote = '"', quoted?: string, bare?: string) => {
                const href = (quoted ?? bare ?? '').replace(/&amp;/g, '&');
                return isSameSite(href, url)
                  ? `${start}${quote}${escapeAttribute(withIdParam(href, param, id))}${quote}`
                  : whole;
              },
            );
            // A GET form replaces the action's query with its fields, dropping the id: the id rides in
            // a hidden field instead. Only for forms that stay on this site.
            const isForm = name.toLowerCase() === 'form';
            const staysHere = rewritten !== tag || !TARGET.test(tag);
            return isForm && !POST_LIKE.test(tag) && staysHere ? `${rewritten}${hidden}` : rewritten;
            // #endregion each-link
          }),
        );
      }
      return out;
    },
  };
}
