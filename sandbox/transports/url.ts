// URL rewriting: the id rides in the query string of every link, form action and redirect the app
// emits. It works without cookies, and it leaks: into history, bookmarks, shared links, server logs
// and the Referer header (OWASP Session Management, "Session ID Exposure"). We send
// `Referrer-Policy: no-referrer` to close the last of those.
import type { SessionConfig } from '../engine/config.ts';
import { escapeAttribute, isHtml, isLocalLink, withBody } from './html.ts';
import type { Transport } from './types.ts';

const LINK_ATTRIBUTE = /(<(?:a|form|link)\b[^>]*?\s(?:href|action)\s*=\s*)(["'])(.*?)\2/gi;

export function urlTransport(config: SessionConfig): Transport {
  const param = config.cookieName;
  const addId = (href: string, id: string, base: URL): string => {
    const url = new URL(href, base);
    url.searchParams.set(param, id);
    return url.origin === base.origin ? url.pathname + url.search + url.hash : href;
  };
  return {
    kind: 'url',
    async read({ url }) {
      return url.searchParams.getAll(param);
    },
    async write(response, { id }) {
      const headers = new Headers(response.headers);
      headers.set('referrer-policy', 'no-referrer');
      let out = new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
      if (id === undefined) return out;
      const base = new URL('http://session.lab/');
      const location = out.headers.get('location');
      if (location && isLocalLink(location)) out.headers.set('location', addId(location, id, base));
      if (isHtml(out)) {
        const html = await out.text();
        out = withBody(
          out,
          html.replace(LINK_ATTRIBUTE, (whole, start: string, quote: string, href: string) =>
            isLocalLink(href)
              ? `${start}${quote}${escapeAttribute(addId(href.replace(/&amp;/g, '&'), id, base))}${quote}`
              : whole,
          ),
        );
      }
      return out;
    },
  };
}
