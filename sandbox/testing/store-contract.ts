// The one contract every store passes (unstorage's testDriver habit). A store's own test file calls
// `testStore` and adds only regressions of its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LockTimeoutError } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import type { SessionRecord, Store } from '../engine/types.ts';
import { MemoryCookies } from './cookies.ts';

export interface ContractOptions {
  /** A reason to skip the whole store (server missing on a laptop). */
  skip?: string | false;
  /** Builds a second, independent instance on the same storage, when the store is shared across processes. */
  makeSecond?: () => Promise<Store>;
  /** Another instance on the same storage whose lock leases last `leaseMs`, for stores with leases. */
  makeLeased?: (options: { leaseMs: number; lockTimeoutSeconds: number }) => Promise<Store>;
}

/** Text that has broken session stores before: markup, SQL, quotes, NUL, astral unicode. */
export const HOSTILE_TEXT = `<script>alert("x")</script> O'Brien'); DROP TABLE session_data;-- \\ \u0000 Zoë 🍪`;

const record = (data: SessionRecord['data'], expiresAt = Date.now() + 60_000): SessionRecord => ({
  data,
  createdAt: Date.now(),
  expiresAt,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A short lease for the renewal tests: what takes 5 s in production takes a third of a second here. */
const LEASE = 300;

export function testStore(name: string, make: () => Promise<Store>, options: ContractOptions = {}): void {
  describe(`${name} store contract`, { skip: options.skip ?? false }, () => {
    let store: Store;
    const cookies = new MemoryCookies();
    const key = () => hashId(generateId());

    before(async () => {
      store = await make();
    });
    after(async () => {
      await store?.close?.();
    });

    it('loads null for a key it never saw', async () => {
      assert.equal(await store.load(key(), cookies), null);
    });

    it('returns exactly what it saved, hostile text included', async () => {
      const k = key();
      const saved = record({ pageViews: 3, name: HOSTILE_TEXT, nested: { list: [1, 'two', null, true] } });
      await store.save(k, saved, cookies);
      assert.deepEqual(await store.load(k, cookies), saved);
    });

    it('replaces a record on a second save', async () => {
      const k = key();
      await store.save(k, record({ n: 1 }), cookies);
      const second = record({ n: 2 });
      await store.save(k, second, cookies);
      assert.deepEqual(await store.load(k, cookies), second);
    });

    it('keeps two sessions apart', async () => {
      const [a, b] = [key(), key()];
      await store.save(a, record({ who: 'a' }), cookies);
      await store.save(b, record({ who: 'b' }), cookies);
      assert.deepEqual((await store.load(a, cookies))?.data, { who: 'a' });
      assert.deepEqual((await store.load(b, cookies))?.data, { who: 'b' });
    });

    it('destroys a record', { skip: false }, async (t) => {
      if (!store.destroy) return t.skip('this store has no destroy; the engine overwrites instead');
      const k = key();
      await store.save(k, record({ n: 1 }), cookies);
      await store.destroy(k, cookies);
      assert.equal(await store.load(k, cookies), null);
    });

    it('sweeps expired records and keeps live ones', async (t) => {
      if (!store.sweep) return t.skip('this store expires records by itself (TTL)');
      const [dead, live] = [key(), key()];
      await store.save(dead, record({ n: 1 }, Date.now() - 1_000), cookies);
      await store.save(live, record({ n: 2 }), cookies);
      const removed = await store.sweep(Date.now());
      assert.ok(removed >= 1, `sweep reported ${removed} removed`);
      assert.equal(await store.load(dead, cookies), null);
      assert.deepEqual((await store.load(live, cookies))?.data, { n: 2 });
    });

    it('trims to a cap, the records closest to expiry first', async (t) => {
      if (!store.trim)
        return t.skip('this store has no trim (RAM has its own bound, cookies live in browsers)');
      // Later deadlines than anything else in the store, so these three are the newest whatever came before.
      const far = Date.now() + 10 * 86_400_000;
      const keys = [key(), key(), key()];
      for (const [i, k] of keys.entries()) await store.save(k, record({ i }, far + i * 1_000), cookies);
      const removed = await store.trim(2);
      assert.ok(removed >= 1, `trim reported ${removed} removed`);
      assert.equal(await store.load(keys[0] ?? '', cookies), null);
      assert.deepEqual((await store.load(keys[1] ?? '', cookies))?.data, { i: 1 });
      assert.deepEqual((await store.load(keys[2] ?? '', cookies))?.data, { i: 2 });
      assert.equal(await store.trim(2), 0);
    });

    it('shows the stored form, bytes and all, to the inspector', async (t) => {
      if (!store.inspect) return t.skip('this store has no inspect');
      const k = key();
      await store.save(k, record({ marker: 'inspect-me' }), cookies);
      const form = await store.inspect(k, cookies);
      assert.ok(form, 'inspect found the record');
      assert.ok(form.bytes > 0);
      assert.ok(form.location.length > 0);
      assert.equal(await store.inspect(key(), cookies), null);
    });

    it('lets one holder at a time have a lock', async (t) => {
      if (!store.lock) return t.skip('this store has no cross-process lock');
      const k = key();
      const order: string[] = [];
      const first = await store.lock(k);
      const second = store.lock(k).then((release) => {
        order.push('second acquired');
        return release;
      });
      await new Promise((r) => setTimeout(r, 50));
      order.push('first releasing');
      await first();
      await (await second)();
      assert.deepEqual(order, ['first releasing', 'second acquired']);
    });

    it('never sweeps a session whose lock is held, even once it has expired', async (t) => {
      if (!store.sweep || !store.lock) return t.skip('this store has no sweep or no cross-process lock');
      const k = key();
      await store.save(k, record({ n: 1 }, Date.now() - 1_000), cookies);
      const release = await store.lock(k);
      try {
        // The request holding the lock loaded the session and may still save it.
        await store.sweep(Date.now());
        assert.deepEqual((await store.load(k, cookies))?.data, { n: 1 }, 'swept while its lock was held');
      } finally {
        await release();
      }
      await store.sweep(Date.now());
      assert.equal(await store.load(k, cookies), null, 'swept once the lock was given back');
    });

    if (options.makeLeased) {
      const makeLeased = options.makeLeased;
      it('renews a held lease: held for several leases, another instance still cannot take it', async () => {
        const [holder, other] = [
          await makeLeased({ leaseMs: LEASE, lockTimeoutSeconds: 1 }),
          await makeLeased({ leaseMs: LEASE, lockTimeoutSeconds: 0.2 }),
        ];
        try {
          assert.ok(holder.lock && other.lock);
          const k = key();
          const release = await holder.lock(k);
          await sleep(4 * LEASE);
          await assert.rejects(other.lock(k), LockTimeoutError, 'the lease lapsed while it was held');
          await release();
          await (await other.lock(k))();
        } finally {
          await holder.close?.();
          await other.close?.();
        }
      });

      it('lets the lease of a holder that stopped renewing (closed, as if killed) lapse within a lease', async () => {
        const holder = await makeLeased({ leaseMs: LEASE, lockTimeoutSeconds: 1 });
        const other = await makeLeased({ leaseMs: LEASE, lockTimeoutSeconds: 2 });
        try {
          assert.ok(holder.lock && other.lock);
          const k = key();
          await holder.lock(k); // never released
          await holder.close?.();
          // Within the other's 2 s lock timeout, far shorter than the lease of the real clock would be.
          await (await other.lock(k))();
        } finally {
          await other.close?.();
        }
      });
    }

    if (options.makeSecond) {
      const makeSecond = options.makeSecond;
      it('is shared: a second instance sees what the first saved', async () => {
        const other = await makeSecond();
        try {
          const k = key();
          await store.save(k, record({ from: 'first' }), cookies);
          assert.deepEqual((await other.load(k, cookies))?.data, { from: 'first' });
        } finally {
          await other.close?.();
        }
      });
    }
  });
}
