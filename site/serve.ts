// `npm start`: the built site and its live demos on one port (PORT, default 4321; HOST, default 127.0.0.1).
// Demo traffic (/lab/…) is routed here, at node:http level, straight to the demo processes; every other
// request goes to Astro's own handler (static files, then pages). Locally a second port
// (SESSION_LAB_OTHER_SITE_PORT, default PORT + 1) serves chapter 11's "other site" for the CSRF demo.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import compression from 'compression';
import { CONNECTION_TIMEOUTS } from '../sandbox/cli/request-body.ts';
import { createLab, stopOnSignals } from './lab-server.ts';
import { configuredHosts, HOSTS_ENV, isLoopbackName } from './lib/lab/host-allow.ts';
import { otherSiteFrameSources, otherSiteListener } from './lib/lab/other-site.ts';
import {
  builtPages,
  contentSecurityPolicy,
  inlineScriptHashes,
  securityHeaders,
} from './lib/security-headers.ts';

type AstroHandler = (req: IncomingMessage, res: ServerResponse) => void;

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const entry = new URL('../dist/server/entry.mjs', import.meta.url);
const { handler } = (await import(entry.href).catch((error: Error) => {
  console.error(
    `The site is not built yet (${error.message}). Run: npm start (it builds first) or npm run build.`,
  );
  process.exit(1);
})) as { handler: AstroHandler };

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4321);
const lab = createLab(process.env, {
  otherSitePort: Number(process.env.SESSION_LAB_OTHER_SITE_PORT || port + 1),
});
const otherSitePort = lab.otherSitePort;
// Every page is prerendered, so the built HTML holds every inline script a page can carry.
const headers = securityHeaders(
  contentSecurityPolicy(
    inlineScriptHashes(builtPages(new URL('../dist/client/', import.meta.url).pathname)),
    [],
    otherSitePort === undefined ? [] : otherSiteFrameSources(otherSitePort, configuredHosts(process.env)),
  ),
);
// Pages, styles and scripts go out gzip-compressed (about a fifth of their size: a phone's first paint
// comes much sooner). Demo traffic is left alone: its pages are small and the proxy streams them.
const compress = compression() as unknown as (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
) => void;
const server = createServer(CONNECTION_TIMEOUTS, (req, res) => {
  // Set before routing: Astro adds its own headers on top of these; the /lab/ routes replace the CSP
  // with the demo pages' stricter one (sandbox/cli/security-headers.ts).
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (!lab.router(req, res)) compress(req, res, () => handler(req, res));
});
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE' ? `Port ${port} on ${host} is in use: set PORT to another.` : error,
  );
  process.exit(1);
});
server.listen(port, host, () => {
  const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
  console.log(`Session Lab is running at http://${shown}:${port}/${lab.publicMode ? ' (public mode)' : ''}`);
  // Visitors reach a public or network-wide site by a name of its own, which it refuses (421) unless told.
  const names = configuredHosts(process.env).filter((name) => !isLoopbackName(name));
  if (names.length === 0 && (lab.publicMode || host === '0.0.0.0' || host === '::'))
    console.warn(
      `[session-lab] warning: only loopback names (localhost, 127.x.x.x) are answered; set ${HOSTS_ENV} to the site's name (e.g. ${HOSTS_ENV}=sessions.example.edu)`,
    );
});
// The CSRF demo's other site: another origin of the same site (local only; public mode has none).
const otherSite =
  otherSitePort === undefined
    ? undefined
    : createServer(CONNECTION_TIMEOUTS, otherSiteListener(port, configuredHosts(process.env), lab.offered));
// Without it only that one demo's "another port" choice fails: the site itself goes on.
otherSite?.on('error', (error: NodeJS.ErrnoException) => {
  console.warn(
    error.code === 'EADDRINUSE'
      ? `[session-lab] warning: port ${otherSitePort} (the CSRF demo's other site) is in use; set SESSION_LAB_OTHER_SITE_PORT to another.`
      : `[session-lab] warning: the CSRF demo's other site could not start: ${error.message}`,
  );
});
otherSite?.listen(otherSitePort, host);
stopOnSignals(async () => {
  otherSite?.close();
  server.close();
  server.closeIdleConnections();
  await lab.stop();
});
