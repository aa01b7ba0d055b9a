// `npm run dev`: Astro's dev server for authoring, with the live demos mounted in front of it.
import { dev } from 'astro';
import { createLab, stopOnSignals } from './lab-server.ts';

const lab = createLab();
const server = await dev({
  root: new URL('..', import.meta.url).pathname,
  vite: {
    plugins: [
      {
        name: 'session-lab:demos',
        configureServer(vite) {
          vite.middlewares.use((req, res, next) => {
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
