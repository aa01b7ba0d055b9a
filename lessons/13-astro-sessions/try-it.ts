// `npm run try:astro`: chapter 13's "Try it" scaffold (./exercise/) in Astro's dev server, which shows
// each change as you save it. PORT picks the port (4402 by default; Astro takes the next free one if it
// is in use). Ctrl-C stops it.
import { fileURLToPath } from 'node:url';
import { dev } from 'astro';

// The repository pins its Astro version, so "a new version of Astro is available" is not for the learner.
process.env.ASTRO_DISABLE_UPDATE_CHECK = 'true';

const server = await dev({
  root: fileURLToPath(new URL('./exercise/', import.meta.url)),
  server: { port: Number(process.env.PORT || 4402) },
});
console.log(`\nThe exercise's form: http://localhost:${server.address.port}/name (Ctrl-C stops the server)`);
