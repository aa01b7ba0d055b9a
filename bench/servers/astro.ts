// F and F0: the Astro 7 project in bench/astro-session, built with the root's astro, on @astrojs/node
// standalone's own request handler. /counter/ uses Astro.session with the default driver (fs-lite: one
// file per session); /plain/ is the same page without a session.
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILDS } from '../build.ts';
import type { CreateServer } from './types.ts';

/** fs-lite's folder: `<cacheDir>/sessions`, baked into the build as an absolute path. */
const SESSIONS = fileURLToPath(new URL('../astro-session/node_modules/.astro/sessions/', import.meta.url));
/** The session id is a UUID, also the file's name. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const create: CreateServer = async () => {
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(BUILDS['astro-session'].entry).href)) as {
    handler: (req: IncomingMessage, res: ServerResponse) => void;
  };
  return {
    listener: handler,
    // Nothing in Astro ever deletes a session file; remove the bench's own.
    async close(cookieHeaders) {
      for (const header of cookieHeaders) {
        const id = /(?:^|;\s*)astro-session=([^;]+)/.exec(header)?.[1];
        if (id && UUID.test(id)) await rm(`${SESSIONS}${id}`, { force: true });
      }
    },
  };
};
