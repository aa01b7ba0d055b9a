// @ts-check
// Peer F of shared/reference/peer-benchmarks.md: an Astro 7 on-demand page on @astrojs/node standalone.
// No `session` key on purpose: @astrojs/node then turns sessions on with its default driver (fs-lite,
// one file per session under node_modules/.astro/sessions), which is what the bench compares against.
// Built with the root project's astro: `npx astro build --root bench/astro-session` (the bench does it).
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
});
