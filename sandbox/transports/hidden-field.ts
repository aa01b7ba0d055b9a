// The id in a hidden <input> of every POST form the app emits. It survives only while the visitor moves
// by submitting forms: a plain link or a redirect carries nothing, so the session is lost there.
// The id is read from a POST body only, never from a query string: otherwise a plain link
// (`?session_lab_id=<the attacker's id>`) would fix the visitor's session (OWASP "Session Fixation").
import type { SessionConfig } from '../engine/config.ts';
import type { Transport } from '../engine/transport.ts';
import { escapeAttribute, isHtml, withBody } from './html.ts';

const FORM_OPEN = /<form\b[^>]*>/gi;
/** method=post, quoted or not. A GET form would put the id in the URL, where it is ignored (and leaks). */
const POST_FORM = /\smethod\s*=\s*["']?\s*post\b/i;

export function hiddenFieldTransport(config: SessionConfig): Transport {
  const field = config.cookieName;
  return {
    kind: 'hidden-field',
    async read({ request }) {
      if (request.method !== 'POST') return [];
      const type = request.headers.get('content-type') ?? '';
      if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
        return [];
      try {
        // A clone, so the app can still read the body itself.
        const form = await request.clone().formData();
        return form.getAll(field).filter((v): v is string => typeof v === 'string');
      } catch {
        return [];
      }
    },
    // The inspector only reads (it creates nothing and sends no id back), so a GET may name the
    // session in its query there: a link to `_inspect` fixes nothing.
    async peek({ url }) {
      return url.searchParams.getAll(field);
    },
    async write(response, { id }) {
      if (id === undefined || !isHtml(response)) return response;
      const input = `<input type="hidden" name="${escapeAttribute(field)}" value="${escapeAttribute(id)}">`;
      const html = await response.text();
      let carried = false;
      const out = withBody(
        response,
        html.replace(FORM_OPEN, (open) => {
          if (!POST_FORM.test(open)) return open;
          carried = true;
          return `${open}${input}`;
        }),
      );
      // A page whose forms hold the id must not be kept by a shared cache and shown to someone else.
      if (carried) out.headers.set('cache-control', 'no-store');
      return out;
    },
  };
}
