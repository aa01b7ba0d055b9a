// Redis: one key per session, `<prefix>sess:<key>` = the record's JSON, written with the record's own
// deadline as the key's expiry (`SET … PXAT expiresAt`), so Redis drops an expired session by itself and
// this store needs no sweep (lucia's Redis guide does the same with EXAT). A touch that only extends the
// deadline is an ordinary save, and the engine never saves an expired session, so nothing revives one
// (tj/connect-redis#251, #376).
//
// The lock is a second key, `<prefix>lock:<key>`, taken with `SET … NX PX 5000` holding a random token,
// retried 1 ms, 2 ms … 20 ms apart until `lockTimeout` (the loop in lease-lock.ts), and renewed every
// 1.5 s while its request runs by a Lua script that moves the expiry on only while the key still holds
// our token. Release runs one that deletes it only then: a request whose lease lapsed (its process
// stalled) must not free the lock of the request that took it over. The lease is timed by Redis's clock.
// The session key is not kept alive by the lock: a session whose deadline passes while its request runs
// may vanish mid-request, and the engine saves it again at the end with a deadline counted from then
// (its stale check, engine.ts), so the request's own visitor never loses it.
//
// When Redis is down, calls fail at once with a 503 rather than hang or pile up (tj/connect-redis#373,
// #159): no offline queue, 2 s to connect, an 'error' listener, reconnecting in the background, so the
// store serves again as soon as Redis is back, without a restart (redis-connection.ts). One connection carries every request: node-redis
// pipelines the commands of concurrent requests, so a request costs 4 small commands and no new socket.
import type { Store } from '../engine/types.ts';
import { leaseLock } from './lease-lock.ts';
import { parseRecord } from './record-json.ts';
import { type RedisClient, redisConnection } from './redis-connection.ts';
import { checkKey, guarded } from './store-guards.ts';

export const REDIS_STORE = 'redis';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Seconds `lock()` keeps trying before it throws LockTimeoutError. */
  lockTimeoutSeconds: number;
  /** Put before every key, so several apps (or test runs) can share one Redis. Default `session-lab:`. */
  prefix?: string;
  /** Milliseconds a lease lives unless renewed (default `LEASE_MS`); tests shorten it. */
  leaseMs?: number;
}

const UNLOCK = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const RENEW =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

export function redisStore({
  url,
  lockTimeoutSeconds,
  prefix = 'session-lab:',
  leaseMs,
}: RedisStoreOptions): Store {
  const connection = redisConnection(url);
  const ready = connection.ready;
  /** Runs commands once connected; any failure becomes a 503 naming SESSION_LAB_REDIS_URL. */
  const run = <T>(key: string, work: (c: RedisClient) => Promise<T>): Promise<T> => {
    // A key is a SHA-256 hash (hashId), never a raw id: a Redis dump holds no usable token.
    checkKey(REDIS_STORE, key);
    return guarded('redis', url, async () => work(await ready()));
  };
  const sessionKey = (key: string) => `${prefix}sess:${key}`;
  const lockKey = (key: string) => `${prefix}lock:${key}`;

  const take = (key: string, token: string, now: number, until: number) =>
    run(key, async (c) => {
      const options = { condition: 'NX', expiration: { type: 'PX', value: until - now } } as const;
      return (await c.set(lockKey(key), token, options)) === 'OK';
    });
  const renew = (key: string, token: string, until: number) =>
    run(key, async (c) => {
      const ms = String(Math.max(1, until - Date.now()));
      return (await c.eval(RENEW, { keys: [lockKey(key)], arguments: [token, ms] })) === 1;
    });
  const give = (key: string, token: string) =>
    run(key, async (c) => {
      await c.eval(UNLOCK, { keys: [lockKey(key)], arguments: [token] });
    });

  const lease = leaseLock({ take, renew, give }, lockTimeoutSeconds, leaseMs);
  return {
    name: REDIS_STORE,
    load: (key) => run(key, async (c) => parseRecord(await c.get(sessionKey(key)))),
    save: (key, record) =>
      run(key, async (c) => {
        const deadline = Math.floor(record.expiresAt);
        // PXAT must be positive; a record already over has nothing worth keeping.
        if (deadline <= Date.now()) await c.del(sessionKey(key));
        else
          await c.set(sessionKey(key), JSON.stringify(record), {
            expiration: { type: 'PXAT', value: deadline },
          });
      }),
    destroy: (key) =>
      run(key, async (c) => {
        await c.del(sessionKey(key));
      }),
    lock: lease.lock,
    // Redis expires records by itself; trim is for a cap. SCAN, not KEYS, so Redis never stalls on it.
    trim: (max) =>
      guarded(REDIS_STORE, url, async () => {
        const c = await ready();
        const keys: string[] = [];
        const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}sess:*`;
        for await (const batch of c.scanIterator({ MATCH: match, COUNT: 1_000 })) keys.push(...batch);
        if (keys.length <= max) return 0;
        // PTTL: -1 is a key without expiry (kept longest), -2 one that just went (gone anyway).
        const ttls = await Promise.all(keys.map((k) => c.pTTL(k)));
        const byDeadline = keys
          .map((k, i) => ({ k, ttl: ttls[i] === -1 ? Number.POSITIVE_INFINITY : (ttls[i] ?? 0) }))
          .sort((a, b) => a.ttl - b.ttl);
        const doomed = byDeadline.slice(0, keys.length - max).map(({ k }) => k);
        let removed = 0;
        for (let i = 0; i < doomed.length; i += 1_000) removed += await c.unlink(doomed.slice(i, i + 1_000));
        return removed;
      }),
    inspect: (key) =>
      run(key, async (c) => {
        // Sent in the same tick, so node-redis writes both in one round trip.
        const [raw, pttl] = await Promise.all([c.get(sessionKey(key)), c.pTTL(sessionKey(key))]);
        if (raw === null) return null;
        const form = { store: REDIS_STORE, location: sessionKey(key), raw, bytes: Buffer.byteLength(raw) };
        return pttl >= 0 ? { ...form, ttlSeconds: pttl / 1000 } : form;
      }),
    close: async () => {
      lease.close();
      await connection.close();
    },
  };
}
