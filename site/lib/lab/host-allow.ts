// Which Host names the front server answers. A DNS-rebinding page (its own name, re-pointed at
// 127.0.0.1) reaches a loopback server as "same origin" with Origin and Host both its own, so only the
// Host name itself tells it apart: the site answers loopback names, the name it listens on (HOST) and
// the names in SESSION_LAB_HOSTS (a teacher's domain behind nginx), and nothing else (421).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { sendResponse } from '../../../sandbox/cli/node-listener.ts';
import { html, htmlPage } from '../../../sandbox/engine/html.ts';

export const HOSTS_ENV = 'SESSION_LAB_HOSTS';

/** The Host names this site answers besides loopback ones, from HOST and SESSION_LAB_HOSTS. */
export function configuredHosts(env: NodeJS.ProcessEnv): string[] {
  const names = [env.HOST ?? '', ...(env[HOSTS_ENV] ?? '').split(',')].map(normalName).filter(Boolean);
  // 0.0.0.0 and :: are where to listen, never a name a browser asks for.
  return [...new Set(names.filter((name) => name !== '0.0.0.0' && name !== '[::]'))];
}

/** The name part of a Host header, lower case, without port or trailing dot ('' when there is none). */
export function hostName(header: string): string {
  const text = header.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1); // [v6]:port
  return text.replace(/:\d*$/, '').replace(/\.$/, '');
}

/** A configured name as a Host header would spell it (an IPv6 address in brackets). */
function normalName(name: string): string {
  const text = name.trim().toLowerCase();
  return isIP(text) === 6 ? `[${text}]` : hostName(text);
}

/** localhost, 127.0.0.0/8 and [::1]: names no DNS answer can point at another machine's page. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name === '[::1]') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

export function isAllowedHost(header: string | undefined, configured: readonly string[]): boolean {
  if (!header) return false;
  const name = hostName(header);
  return isLoopbackName(name) || configured.includes(name);
}

/**
 * Answers a request for a Host name this site does not serve with a 421 page and returns true; returns
 * false (and answers nothing) for an allowed one.
 */
export function refuseForeignHost(
  req: IncomingMessage,
  res: ServerResponse,
  configured: readonly string[],
): boolean {
  if (isAllowedHost(req.headers.host, configured)) return false;
  req.resume();
  const asked = (req.headers.host ?? '').slice(0, 100);
  const title = 'This site does not answer that name';
  void sendResponse(
    htmlPage(
      title,
      html`<div class="error" role="alert"><h1>${title}</h1><p>The request asked for the host <code>${asked || '(none)'}</code>, which is not one of this site's names, so nothing was done. A page on another site that re-points its name at this server (DNS rebinding) is refused this way.</p><p>Running the site under another name? Add it to ${HOSTS_ENV} (comma-separated), or set HOST to it.</p></div>`,
      { status: 421, headers: { 'cache-control': 'no-store' } },
    ),
    res,
  );
  return true;
}
