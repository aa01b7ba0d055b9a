// HTML with every interpolated value escaped, unless it is already SafeHtml. Apps build pages with it,
// so user text (a name like `<script>`) is shown, never run.
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The most an error page echoes of one field that was sent: a typo is kept, a huge post is not sent back. */
export const MAX_ECHO = 1_000;

/** At most `max` UTF-16 units of `text` (never half a surrogate pair), with `…` when cut. */
export function excerpt(text: string, max = MAX_ECHO): string {
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, cut)}…`;
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * A whole page, as a Response. Small inline styles keep the demo readable inside an iframe. The page
 * follows the reader's light or dark theme; its background is the theme's Canvas colour, said outright so
 * that a contrast check (axe) measures links and text against the dark page it is, not a white default.
 */
export function htmlPage(title: string, body: SafeHtml, init: ResponseInit = {}): Response {
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  :root { color-scheme: light dark; background: Canvas; color: CanvasText; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0 auto; padding: 1rem; max-width: 40rem; overflow-wrap: anywhere; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  td, th { border: 1px solid #8888; padding: 0.25rem 0.5rem; text-align: start; vertical-align: top; word-break: break-all; }
  input, button { font: inherit; padding: 0.3rem 0.6rem; }
  textarea { font: inherit; box-sizing: border-box; max-inline-size: 100%; }
  label { display: block; margin-block: 0.5rem; }
  .error { border-inline-start: 4px solid #c0392b; padding-inline-start: 1rem; }
</style>
</head>
<body>
${body}
</body>
</html>`;
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'text/html; charset=utf-8');
  return new Response(doc.value, { ...init, headers });
}
