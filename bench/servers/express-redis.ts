// E. express-session + connect-redis 10, which wants a node-redis v5+ client (peerDependency
// `redis >=5`); the project's `redis` 6 is one, so no alias is needed.
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import { locationFor, redactUrl } from '../../sandbox/stores/locations.ts';
import { expressCounter } from './express-session.ts';
import { BackendMissing, type CreateServer } from './types.ts';

export const create: CreateServer = async () => {
  const url = locationFor('redis');
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new BackendMissing(`no Redis at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  return expressCounter(new RedisStore({ client }), async (sids) => {
    if (sids.length > 0) await client.del(sids.map((sid) => `sess:${sid}`));
    await client.quit();
  });
};
