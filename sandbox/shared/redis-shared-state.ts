// The site's shared state in Redis, shared by every site instance and demo worker pointed at it. Three
// kinds of key under `<prefix>` (default `session-lab:site:`, apart from the demo store's `sess:`/`lock:`
// keys): `v:<key>` a JSON value with PX expiry, `c:<key>` a counter, `l:<key>` a capped list.
// Every call is one round trip; Redis's own clock times the expiry, so instances need not agree on time.
import type { JsonValue } from '../engine/types.ts';
import { redactUrl } from '../stores/locations.ts';
import { type RedisClient, redisConnection } from '../stores/redis-connection.ts';
import {
  type Count,
  checkPositive,
  checkSharedStateKey,
  type SharedState,
  SharedStateUnavailableError,
} from './shared-state.ts';

export interface RedisSharedStateOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  prefix?: string;
}

// INCR, and the window's expiry set by the count that opened it; a key left without one (set by
// hand, or a PEXPIRE lost) gets it too, so a counter can never block forever.
const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

export function redisSharedState({
  url,
  prefix = 'session-lab:site:',
}: RedisSharedStateOptions): SharedState {
  const location = redactUrl(url);
  const connection = redisConnection(url);
  const run = async <T>(key: string, work: (c: RedisClient) => Promise<T>): Promise<T> => {
    checkSharedStateKey(key);
    let client: RedisClient;
    try {
      client = await connection.ready();
      return await work(client);
    } catch (error) {
      throw new SharedStateUnavailableError(location, error);
    }
  };
  return {
    location,
    get: (key) =>
      run(key, async (c) => {
        const raw = await c.get(`${prefix}v:${key}`);
        return raw === null ? null : (JSON.parse(raw) as JsonValue);
      }),
    async set(key, value, ttlMs) {
      checkPositive('TTL', ttlMs);
      await run(key, (c) =>
        c.set(`${prefix}v:${key}`, JSON.stringify(value), { expiration: { type: 'PX', value: ttlMs } }),
      );
    },
    async increment(key, windowMs) {
      checkPositive('window', windowMs);
      return run(key, async (c): Promise<Count> => {
        const reply = (await c.eval(INCREMENT, {
          keys: [`${prefix}c:${key}`],
          arguments: [String(windowMs)],
        })) as [number, number];
        return { count: Number(reply[0]), resetInMs: Number(reply[1]) };
      });
    },
    async append(key, value, keep, ttlMs) {
      checkPositive('list size', keep);
      checkPositive('TTL', ttlMs);
      const listKey = `${prefix}l:${key}`;
      // MULTI: the push, the trim and the new expiry land together, in one round trip.
      await run(key, (c) =>
        c
          .multi()
          .rPush(listKey, JSON.stringify(value))
          .lTrim(listKey, -keep, -1)
          .pExpire(listKey, ttlMs)
          .exec(),
      );
    },
    list: (key) =>
      run(key, async (c) =>
        (await c.lRange(`${prefix}l:${key}`, 0, -1)).map((item) => JSON.parse(item) as JsonValue),
      ),
    close: connection.close,
  };
}
