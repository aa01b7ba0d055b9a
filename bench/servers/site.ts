// The Session Lab site's demo path: the front server of site/serve.ts (its /lab/ router first, then the
// built Astro handler), here inside the bench's child so the request count and CPU are taken the same
// way as for every other server. /lab/counter/ram/std/ goes to the counter demo's sandbox, started by
// the first request (before the clock) and stopped with the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createLab } from '../../site/lab-server.ts';
import { BUILDS } from '../build.ts';
import type { CreateServer } from './types.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export const create: CreateServer = async () => {
  // As site/serve.ts does: import the handler without letting the adapter start its own server.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = (await import(pathToFileURL(BUILDS.site.entry).href)) as { handler: NodeHandler };
  // The local site, as `npm start` runs it: no public caps, process controls on.
  const lab = createLab({ ...process.env, PUBLIC: undefined });
  return {
    listener(req, res) {
      if (!lab.router(req, res)) handler(req, res);
    },
    close: () => lab.manager.stopAll(),
  };
};
