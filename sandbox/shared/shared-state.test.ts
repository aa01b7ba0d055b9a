// The contract every shared state passes: memory always, Redis and PostgreSQL against the real servers
// (skipped on a laptop without them, failing under CI). "Two instances" are two separate connections,
// as two site instances or demo workers would have.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { locationFor } from '../stores/locations.ts';
import { skipUnless } from '../testing/servers.ts';
import { memorySharedState } from './memory-shared-state.ts';
import { openSharedState } from './open-shared-state.ts';
import {
  SHARED_ENV,
  type SharedState,
  SharedStateUnavailableError,
  sharedBackendOf,
} from './shared-state.ts';

const HOSTILE = `<script>alert(1)</script> O'Brien'); DROP TABLE session_lab_site_values;-- \\ \u0000 Zoë 🍪`;

function contract(name: string, skip: string | false, open: () => SharedState) {
  describe(`${name} shared state`, { skip }, () => {
    const opened: SharedState[] = [];
    const make = () => {
      const sharedState = open();
      opened.push(sharedState);
      return sharedState;
    };
    after(() => Promise.all(opened.map((b) => b.close())));
    // Keys of this run only, so runs and other users of the same server never meet.
    const run = randomBytes(6).toString('hex');
    const key = (what: string) => `test-${run}:${what}`;

    it('gives back exactly the JSON it was given, null for nothing, and the newest value', async () => {
      const b = make();
      assert.equal(await b.get(key('missing')), null);
      const value = { text: HOSTILE, list: [1, 2.5, true, null], nested: { deep: ['x'] } };
      await b.set(key('value'), value, 60_000);
      assert.deepEqual(await b.get(key('value')), value);
      await b.set(key('value'), 'second', 60_000);
      assert.equal(await b.get(key('value')), 'second');
    });

    it('forgets a value once its TTL has run out', async () => {
      const b = make();
      await b.set(key('short'), 1, 150);
      assert.equal(await b.get(key('short')), 1);
      await sleep(400);
      assert.equal(await b.get(key('short')), null);
    });

    it('counts in a fixed window: 1, 2, 3 …, the end not pushed back, then from 1 again', async () => {
      const b = make();
      const first = await b.increment(key('window'), 400);
      assert.equal(first.count, 1);
      assert.ok(first.resetInMs > 0 && first.resetInMs <= 400, `resetInMs ${first.resetInMs}`);
      await sleep(100);
      const second = await b.increment(key('window'), 400);
      assert.equal(second.count, 2);
      assert.ok(second.resetInMs <= first.resetInMs - 50, 'a later count does not extend the window');
      assert.equal((await b.increment(key('window'), 400)).count, 3);
      await sleep(450);
      assert.equal((await b.increment(key('window'), 400)).count, 1, 'a new window starts over');
    });

    it('never loses a count when two instances count at once', async () => {
      const [a, b] = [make(), make()];
      const counts = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).increment(key('race'), 60_000)),
      );
      assert.deepEqual(
        counts.map((c) => c.count).sort((x, y) => x - y),
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
    });

    it('keeps a list in order, its newest items only, apart from values and counters of the same name', async () => {
      const b = make();
      assert.deepEqual(await b.list(key('events')), []);
      for (let i = 1; i <= 5; i++) await b.append(key('events'), { n: i, text: HOSTILE }, 3, 60_000);
      assert.deepEqual(
        (await b.list(key('events'))).map((item) => (item as { n: number }).n),
        [3, 4, 5],
      );
      assert.equal(((await b.list(key('events')))[0] as { text: string }).text, HOSTILE);
      await b.set(key('events'), 'a value', 60_000);
      assert.equal((await b.increment(key('events'), 60_000)).count, 1);
      assert.equal(
        (await b.list(key('events'))).length,
        3,
        'a value or counter of the same name is separate',
      );
      await b.append(key('one'), 'only', 1, 60_000);
      await b.append(key('one'), 'newest', 1, 60_000);
      assert.deepEqual(await b.list(key('one')), ['newest']);
    });

    it('forgets a list its TTL after the last append, not the first', async () => {
      const b = make();
      await b.append(key('fading'), 1, 10, 300);
      await sleep(200);
      await b.append(key('fading'), 2, 10, 300);
      await sleep(200);
      assert.deepEqual(await b.list(key('fading')), [1, 2], 'the second append renewed the whole list');
      await sleep(300);
      assert.deepEqual(await b.list(key('fading')), []);
      await b.append(key('fading'), 3, 10, 300);
      assert.deepEqual(await b.list(key('fading')), [3], 'a list that ran out starts afresh');
    });

    it('shows one instance what another wrote', async () => {
      const [a, b] = [make(), make()];
      await a.set(key('shared'), { from: 'a' }, 60_000);
      await a.append(key('shared-list'), 'from a', 5, 60_000);
      await b.append(key('shared-list'), 'from b', 5, 60_000);
      assert.deepEqual(await b.get(key('shared')), { from: 'a' });
      assert.deepEqual(await a.list(key('shared-list')), ['from a', 'from b']);
    });

    it('refuses keys that are not short printable names, and sizes that are not whole numbers', async () => {
      const b = make();
      for (const bad of ['', 'has space', "quote'); DROP TABLE x;--", 'x'.repeat(201), 'newline\n']) {
        await assert.rejects(b.get(bad), TypeError, JSON.stringify(bad));
        await assert.rejects(b.set(bad, 1, 1_000), TypeError);
      }
      await assert.rejects(b.set(key('x'), 1, 0), RangeError);
      await assert.rejects(b.increment(key('x'), 1.5), RangeError);
      await assert.rejects(b.append(key('x'), 1, 0, 1_000), RangeError);
    });
  });
}

// One process has one memory: its "two instances" are the same shared state.
const memory = memorySharedState();
contract('memory', false, () => memory);
contract('Redis', await skipUnless('redis'), () => openSharedState(locationFor('redis')));
contract('PostgreSQL', await skipUnless('postgres'), () => openSharedState(locationFor('postgres')));

describe('choosing the shared state', () => {
  it('reads SESSION_LAB_SHARED_URL: unset or memory, redis://, postgres://; anything else is refused', () => {
    assert.equal(sharedBackendOf(undefined), 'memory');
    assert.equal(sharedBackendOf(' '), 'memory');
    assert.equal(sharedBackendOf('memory'), 'memory');
    assert.equal(sharedBackendOf('redis://127.0.0.1:6379/2'), 'redis');
    assert.equal(sharedBackendOf('rediss://cache.example:6380'), 'redis');
    assert.equal(sharedBackendOf('postgres://u@db/x'), 'postgres');
    assert.equal(sharedBackendOf('postgresql://u@db/x'), 'postgres');
    assert.throws(
      () => sharedBackendOf('mysql://root:hunter2@db/test'),
      (error: Error) =>
        error.message.includes(SHARED_ENV) &&
        error.message.includes('redis://') &&
        !error.message.includes('hunter2'),
    );
  });

  it('fails a call (not the start) with a clear error when the server is down, and hides the password', async () => {
    // Nothing listens on these ports (this test's own range, 5100-5199).
    for (const url of ['redis://:hunter2@127.0.0.1:5198', 'postgres://u:hunter2@127.0.0.1:5199/x']) {
      const b = openSharedState(url);
      try {
        await assert.rejects(
          b.increment('rate:x', 60_000),
          (error: Error) =>
            error instanceof SharedStateUnavailableError &&
            error.message.includes(SHARED_ENV) &&
            error.message.includes('127.0.0.1') &&
            !error.message.includes('hunter2'),
        );
      } finally {
        await b.close();
      }
    }
  });
});
