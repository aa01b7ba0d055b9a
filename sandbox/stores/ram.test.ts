import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreFullError } from '../engine/errors.ts';
import { counter } from '../testing/apps.ts';
import { MemoryCookies } from '../testing/cookies.ts';
import { COOKIE, lab } from '../testing/engine.ts';
import { testStore } from '../testing/store-contract.ts';
import { RECENT_USE_MS, ramStore } from './ram.ts';

testStore('ram', async () => ramStore({ maxSessions: 100 }));

const MINUTE = 60_000;
const countOf = (text: string): number => Number(/<output id="count">(\d+)<\/output>/.exec(text)?.[1]);

it('ram: drops the least recently used session past maxSessions, once it has not been used for a while', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  const store = ramStore({ maxSessions: 2 });
  const cookies = new MemoryCookies();
  const rec = { data: {}, createdAt: 0, expiresAt: Date.now() + 60 * MINUTE };
  await store.save('a', rec, cookies);
  await store.save('b', rec, cookies);
  t.mock.timers.tick(RECENT_USE_MS + 1);
  await store.load('a', cookies); // a is now the most recently used
  await store.save('c', rec, cookies);
  assert.equal(await store.load('b', cookies), null);
  assert.ok(await store.load('a', cookies));
  assert.ok(await store.load('c', cookies));
});

it('ram: makes room from an expired session even if it was used a moment ago', async () => {
  const store = ramStore({ maxSessions: 1 });
  const cookies = new MemoryCookies();
  await store.save('old', { data: {}, createdAt: 0, expiresAt: Date.now() - 1 }, cookies);
  await store.save('new', { data: {}, createdAt: 0, expiresAt: Date.now() + MINUTE }, cookies);
  assert.ok(await store.load('new', cookies));
});

it('ram: refuses a new session when every one it holds was used recently, and still updates those', async () => {
  const store = ramStore({ maxSessions: 2 });
  const cookies = new MemoryCookies();
  const rec = { data: {}, createdAt: 0, expiresAt: Date.now() + 60 * MINUTE };
  await store.save('a', rec, cookies);
  await store.save('b', rec, cookies);
  await assert.rejects(store.save('c', rec, cookies), (error: unknown) => {
    assert.ok(error instanceof StoreFullError);
    assert.equal(error.status, 503);
    assert.ok(error.retryAfterSeconds > 0 && error.retryAfterSeconds <= RECENT_USE_MS / 1000);
    return true;
  });
  await store.save('a', { ...rec, data: { n: 2 } }, cookies);
  assert.deepEqual((await store.load('a', cookies))?.data, { n: 2 });
  assert.ok(await store.load('b', cookies));
});

describe('ram: a flood of new visitors', () => {
  it('never evicts a session in use: the flood gets a 503 with Retry-After', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const max = 20;
    const { client } = lab(counter, {}, ramStore({ maxSessions: max }));
    const visitor = client();
    assert.equal(countOf((await visitor.get('/')).text), 1);
    for (let i = 1; i < max; i++) assert.equal((await client().get('/')).response.status, 200);

    for (let i = 0; i < 3 * max; i++) {
      const flood = await client().get('/');
      assert.equal(flood.response.status, 503);
      assert.match(flood.response.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.match(flood.text, /no room for a new one/);
      assert.deepEqual(flood.response.headers.getSetCookie(), [], 'the refused visitor gets no id');
      if (i % max === 0) assert.equal(countOf((await visitor.get('/')).text), 2 + i / max);
    }

    // Minutes later the flood's sessions have gone quiet, the visitor has not: the flood's make room.
    t.mock.timers.tick(RECENT_USE_MS - MINUTE);
    const before = countOf((await visitor.get('/')).text);
    t.mock.timers.tick(2 * MINUTE);
    for (let i = 1; i < max; i++) assert.equal((await client().get('/')).response.status, 200);
    assert.equal((await client().get('/')).response.status, 503, 'and then the store is full again');
    assert.equal(countOf((await visitor.get('/')).text), before + 1);
    assert.ok(visitor.jar.get(COOKIE));
  });
});
