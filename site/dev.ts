// `npm run dev`: Astro's dev server for authoring, with the live demos mounted in front of it.
import { dev } from 'astro';
import { setHeaders } from '../sandbox/cli/security-headers.ts';
import { createLab, stopOnSignals } from './lab-server.ts';
import { devContentSecurityPolicy, securityHeaders } from './lib/security-headers.ts';

// The repository pins its Astro version: "a new version of Astro is available" is not for its authors to act on.
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';
const DEV_HEADERS = securityHeaders(devContentSecurityPolicy());
const lab = createLab();
const server = await dev({
  root: new URL('..', import.meta.url).pathname,
  // PORT, as for `npm start` (Astro's default, 4321, otherwise).
  ...(process.env.PORT ? { server: { port: Number(process.env.PORT) } } : {}),
  vite: {
    plugins: [
      {
        name: 'session-lab:demos',
        configureServer(vite) {
          vite.middlewares.use((req, res, next) => {
            setHeaders(res, DEV_HEADERS);
            if (!lab.router(req, res)) next();
          });
        },
      },
    ],
  },
});
stopOnSignals(async () => {
  await server.stop();
  await lab.stop();
});
