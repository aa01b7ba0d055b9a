// @ts-check
// Chapter 13's example: a minimal Astro project on the repository's own astro and @astrojs/node (it has
// no node_modules of its own). Run it from the repository root:
//   npx astro dev --root lessons/13-astro-sessions/example
import node from '@astrojs/node';
import { defineConfig, sessionDrivers } from 'astro/config';

export default defineConfig({
  adapter: node({ mode: 'standalone' }),
  // #region session
  session: {
    driver: sessionDrivers.fs({ base: './.data/astro-sessions' }),
    ttl: 3600,
  },
  // #endregion session
});
