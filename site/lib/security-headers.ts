// The headers every response of the site carries (issue 4 §2). The Content-Security-Policy allows
// scripts from this origin only, plus the few inline scripts the build itself wrote (Starlight's theme
// and sidebar scripts), named by their SHA-256: an injected <script> matches no hash and does not run.
// The demo pages under /lab/ get the stricter policy of sandbox/cli/security-headers.ts (no script at all).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BASE_SECURITY_HEADERS } from '../../sandbox/cli/security-headers.ts';
import { visitorScheme } from './lab/router.ts';

/** Inline `<script>` bodies; data blocks (JSON, JSON-LD) are not run, so they need no hash. */
const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)([^>]*)>([\s\S]*?)<\/script>/gi;
const DATA_BLOCK = /\stype=["']?application\/(?:ld\+)?json/i;

/** `'sha256-…'` sources for every inline script in these HTML texts, each once, in a stable order. */
export function inlineScriptHashes(pages: Iterable<string>): string[] {
  const hashes = new Set<string>();
  for (const page of pages) {
    for (const [, attributes = '', body = ''] of page.matchAll(INLINE_SCRIPT)) {
      if (DATA_BLOCK.test(attributes) || body.trim() === '') continue;
      hashes.add(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    }
  }
  return [...hashes].sort();
}

/** Every `.html` file under `dir`, read. */
export function* builtPages(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html'))
      yield readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
}

export function contentSecurityPolicy(
  scriptHashes: readonly string[],
  connectTo: readonly string[] = [],
  frameFrom: readonly string[] = [],
): string {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval': Pagefind's search index is WebAssembly; it allows compiling wasm, not eval().
    `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.join(' ')}`.trim(),
    // Starlight and Expressive Code set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectTo.join(' ')}`.trim(),
    // The demos are pages of this site shown in iframes (and, locally, the CSRF demo's other site on a
    // port of its own); nobody else may frame the site.
    `frame-src 'self' ${frameFrom.join(' ')}`.trim(),
    "frame-ancestors 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The policy of `npm run dev`: the built site's, except that inline scripts run (Vite and Astro's dev
 * toolbar inject inline scripts that change with every edit, so no hash list made at start could name
 * them) and the toolbar may fetch its news from astro.build. Everything else an author adds (a script,
 * image or fetch from another origin, a form posting elsewhere) is refused in dev as it will be in
 * production.
 */
export function devContentSecurityPolicy(): string {
  return contentSecurityPolicy(["'unsafe-inline'"], ['https://astro.build']);
}

/**
 * What every response of the site carries besides its Content-Security-Policy (nosniff, a Referer that
 * never leaves the site, no framing by others: sandbox/cli/security-headers.ts says why), plus a window
 * of its own for each top-level page.
 */
export const SITE_BASE_HEADERS: Readonly<Record<string, string>> = {
  ...BASE_SECURITY_HEADERS,
  'cross-origin-opener-policy': 'same-origin',
};

/** The headers for every response of the built site (site/serve.ts). */
export function securityHeaders(csp: string): Record<string, string> {
  return { 'content-security-policy': csp, ...SITE_BASE_HEADERS };
}

/**
 * HSTS for a visitor who came over https (TLS here, or at a trusted reverse proxy): the browser then
 * uses https for this host for a year, so no later plain-http request (a typed address, an old link)
 * can be read or rewritten on the way. Not `includeSubDomains`: the site may share its domain with
 * others. Plain http gets none: a browser ignores it there, and a local site has no https to keep to.
 */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

export function setStrictTransport(req: IncomingMessage, res: ServerResponse, trustProxy: boolean): void {
  if (visitorScheme(req, trustProxy) === 'https')
    res.setHeader('strict-transport-security', STRICT_TRANSPORT_SECURITY);
}
