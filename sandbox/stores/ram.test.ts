import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MemoryCookies } from '../testing/cookies.ts';
import { testStore } from './contract.ts';
import { ramStore } from './ram.ts';

testStore('ram', async () => ramStore({ maxSessions: 100 }));

it('ram: drops the least recently used session past maxSessions', async () => {
  const store = ramStore({ maxSessions: 2 });
  const cookies = new MemoryCookies();
  const rec = { data: {}, createdAt: 0, expiresAt: Date.now() + 60_000 };
  await store.save('a', rec, cookies);
  await store.save('b', rec, cookies);
  await store.load('a', cookies); // a is now the most recently used
  await store.save('c', rec, cookies);
  assert.equal(await store.load('b', cookies), null);
  assert.ok(await store.load('a', cookies));
  assert.ok(await store.load('c', cookies));
});
