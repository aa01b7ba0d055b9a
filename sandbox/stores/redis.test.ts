import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { LockTimeoutError, StoreUnavailableError } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import { LEASE_MS } from '../engine/locks.ts';
import type { SessionRecord, Store } from '../engine/types.ts';
import { MemoryCookies } from '../testing/cookies.ts';
import { COOKIE, lab } from '../testing/engine.ts';
import { skipUnless } from '../testing/servers.ts';
import { testStore } from '../testing/store-contract.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';
import { locationFor } from './locations.ts';
import { redisStore } from './redis.ts';

const skip = await skipUnless('redis');
const url = locationFor('redis');
// A fresh prefix per run: runs never see each other's keys, and `after` deletes exactly ours.
const prefix = `session-lab-test-${randomBytes(6).toString('hex')}:`;
const make = (lockTimeoutSeconds = 2) => redisStore({ url, lockTimeoutSeconds, prefix });
const cookies = new MemoryCookies();
const key = () => hashId(generateId());
const record = (lifetimeMs = 60_000): SessionRecord => ({
  data: { n: 1 },
  createdAt: Date.now(),
  expiresAt: Date.now() + lifetimeMs,
});
const lockOf = (store: Store) => {
  if (!store.lock) throw new Error('the redis store has a cross-process lock');
  return store.lock.bind(store);
};

testStore('redis', async () => make(), {
  skip,
  makeSecond: async () => make(),
  makeLeased: async ({ leaseMs, lockTimeoutSeconds }) =>
    redisStore({ url, lockTimeoutSeconds, prefix, leaseMs }),
});

describe('redis store regressions', { skip }, () => {
  const raw = createClient({ url });
  let store: Store;
  before(async () => {
    await raw.connect();
    store = make();
  });
  after(async () => {
    await store?.close?.();
    if (!raw.isOpen) return;
    for await (const keys of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await raw.del(keys);
    }
    await raw.close();
  });

  it("gives each key the record's remaining lifetime as its TTL (reference test 36)", async () => {
    const k = key();
    await store.save(k, record(90_000), cookies);
    const pttl = await raw.pTTL(`${prefix}sess:${k}`);
    assert.ok(pttl > 88_000 && pttl <= 90_000, `PTTL ${pttl}`);
    const form = await store.inspect?.(k, cookies);
    assert.equal(form?.location, `${prefix}sess:${k}`);
    assert.ok(form?.ttlSeconds && Math.abs(form.ttlSeconds - 90) < 2, `ttlSeconds ${form?.ttlSeconds}`);
    assert.equal(form?.raw, await raw.get(`${prefix}sess:${k}`));
  });

  it('destroy deletes the key, and a record saved already expired is not kept', async () => {
    const [k, old] = [key(), key()];
    await store.save(k, record(), cookies);
    await store.destroy?.(k, cookies);
    assert.equal(await raw.exists(`${prefix}sess:${k}`), 0);
    await store.save(old, record(-1_000), cookies);
    assert.equal(await raw.exists(`${prefix}sess:${old}`), 0);
  });

  it('holds no raw id in any key or value (reference test 35)', async () => {
    const id = generateId();
    await store.save(hashId(id), record(), cookies);
    const release = await lockOf(store)(hashId(id));
    try {
      for await (const keys of raw.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
        for (const name of keys) {
          assert.ok(!name.includes(id), name);
          const value = (await raw.type(name)) === 'string' ? await raw.get(name) : '';
          assert.ok(!value?.includes(id), `value of ${name}`);
        }
      }
    } finally {
      await release();
    }
  });

  it('lets 50 requests wait for the first connection together, without a listener leak', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const fresh = make();
    try {
      const loaded = await Promise.all(Array.from({ length: 50 }, () => fresh.load(key(), cookies)));
      assert.deepEqual(loaded, Array(50).fill(null));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, []);
    } finally {
      process.off('warning', onWarning);
      await fresh.close?.();
    }
  });

  it('keeps a session whose key expired in Redis while its request held the lock: the engine saves it again', async () => {
    let slow = false;
    const { client } = lab(
      async (request, session) => {
        if (request.url.endsWith('/start')) session.set('mark', 'kept');
        // Reads only, and outlasts the session's deadline: Redis drops the key (its TTL) mid-request.
        if (slow) await new Promise((resolve) => setTimeout(resolve, 900));
        return new Response(String(session.get('mark')));
      },
      { storageType: 'redis', timeout: 0.01 },
      store,
    );
    const browser = client();
    await browser.get('/start');
    const k = hashId(browser.jar.get(COOKIE) ?? '');
    slow = true;
    assert.equal((await browser.get('/')).text, 'kept');
    slow = false;
    assert.ok((await raw.pTTL(`${prefix}sess:${k}`)) > 0, 'the key is back, with a TTL');
    assert.equal((await browser.get('/')).text, 'kept');
  });

  it('loads a value that is not a record as null', async () => {
    const k = key();
    await raw.set(`${prefix}sess:${k}`, '{"data":{"n":1},"createdAt":1');
    assert.equal(await store.load(k, cookies), null);
  });

  it('times out on a held lock with LockTimeoutError, and the lock has a lease of LEASE_MS', async () => {
    const k = key();
    const release = await lockOf(store)(k);
    const impatient = make(0.2);
    try {
      const pttl = await raw.pTTL(`${prefix}lock:${k}`);
      assert.ok(pttl > LEASE_MS - 1_000 && pttl <= LEASE_MS, `lock PTTL ${pttl}`);
      await assert.rejects(lockOf(impatient)(k), LockTimeoutError);
      await release();
      await (await lockOf(impatient)(k))();
    } finally {
      await impatient.close?.();
    }
  });

  it("a release after the lease was taken over leaves the new holder's lock alone", async () => {
    const k = key();
    const release = await lockOf(store)(k);
    await raw.set(`${prefix}lock:${k}`, 'someone-else', { expiration: { type: 'PX', value: 30_000 } });
    await release();
    assert.equal(await raw.get(`${prefix}lock:${k}`), 'someone-else');
  });

  it('fails fast with StoreUnavailableError naming SESSION_LAB_REDIS_URL when nothing listens', {
    timeout: 10_000,
  }, async () => {
    const down = redisStore({ url: 'redis://127.0.0.1:1', lockTimeoutSeconds: 1, prefix });
    try {
      for (const call of [
        () => down.load(key(), cookies),
        () => down.save(key(), record(), cookies),
        () => lockOf(down)(key()),
      ]) {
        const started = Date.now();
        await assert.rejects(call(), (error: unknown) => {
          assert.ok(error instanceof StoreUnavailableError, String(error));
          assert.equal(error.status, 503);
          assert.match(error.hint, /SESSION_LAB_REDIS_URL/);
          assert.ok(error.cause);
          return true;
        });
        assert.ok(Date.now() - started < 2_500, `took ${Date.now() - started} ms`);
      }
    } finally {
      await down.close?.();
    }
  });

  it('fails while Redis is gone and recovers by itself when it is back (reference test 37)', {
    timeout: 15_000,
  }, async () => {
    const { hostname, port } = new URL(url);
    const proxy = await startTcpProxy(hostname, Number(port || 6379));
    const relayed = redisStore({ url: `redis://127.0.0.1:${proxy.port}`, lockTimeoutSeconds: 1, prefix });
    try {
      const k = key();
      await relayed.save(k, record(), cookies);
      proxy.down();
      const started = Date.now();
      await assert.rejects(relayed.load(k, cookies), StoreUnavailableError);
      assert.ok(Date.now() - started < 2_500, 'no hang while down');
      proxy.up();
      let loaded: SessionRecord | null | undefined;
      for (const deadline = Date.now() + 5_000; loaded === undefined && Date.now() < deadline; ) {
        loaded = await relayed.load(k, cookies).catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return undefined;
        });
      }
      assert.deepEqual(loaded?.data, { n: 1 });
    } finally {
      await relayed.close?.();
      await proxy.close();
    }
  });
});
