import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookieStore } from '../stores/cookie.ts';
import { ramStore } from '../stores/ram.ts';
import { MemoryCookies } from '../testing/cookies.ts';
import { createTransport } from '../transports/index.ts';
import { defineConfig } from './config.ts';
import { type App, Engine } from './engine.ts';
import { generateId, hashId } from './ids.ts';
import type { SideRecords } from './side-records.ts';
import type { JsonValue, Store } from './types.ts';

/** The `records` capability an app gets from an engine on `store`. */
async function recordsOn(store: Store): Promise<SideRecords> {
  const config = defineConfig();
  const engine = new Engine(config, store, createTransport(config));
  let seen: SideRecords | undefined;
  const app: App = (_request, _session, context) => {
    seen = context.records;
    return new Response('ok');
  };
  await engine.handle(new Request('http://lab.test/'), app);
  assert.ok(seen);
  return seen;
}

const count = (value: JsonValue | null) => (typeof value === 'number' ? value : 0);

describe('AppContext.records', () => {
  it('keeps a record under a key no session id hashes to, and gives it back', async () => {
    const store = ramStore({ maxSessions: 100 });
    const records = await recordsOn(store);
    await records.update('demo:a', () => ({ value: { hello: 'world' }, ttlMs: 60_000 }));
    assert.deepEqual(await records.read('demo:a'), { hello: 'world' });
    assert.match((await records.raw('demo:a')) ?? '', /"hello":"world"/);
    // Filed under hashId('side:demo:a'): a session key is hashId of a 43-character id without ':'.
    assert.ok(await store.load(hashId('side:demo:a'), new MemoryCookies()));
  });

  it('runs concurrent updates of one record one after the other: none is lost', async () => {
    const records = await recordsOn(ramStore({ maxSessions: 100 }));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        records.update('demo:count', (current) => ({ value: count(current) + 1, ttlMs: 60_000 })),
      ),
    );
    assert.equal(await records.read('demo:count'), 20);
  });

  it('deletes a record when the change returns null, and forgets it after its time', async () => {
    const records = await recordsOn(ramStore({ maxSessions: 100 }));
    await records.update('demo:gone', () => ({ value: 1, ttlMs: 60_000 }));
    await records.update('demo:gone', () => null);
    assert.equal(await records.read('demo:gone'), null);
    await records.update('demo:short', () => ({ value: 1, ttlMs: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await records.read('demo:short'), null);
  });

  it('ends another session by its key, and tells whether one is live', async () => {
    const store = ramStore({ maxSessions: 100 });
    const records = await recordsOn(store);
    const id = generateId();
    const cookies = new MemoryCookies();
    await store.save(
      hashId(id),
      { data: { user: 'alice' }, createdAt: 0, expiresAt: Date.now() + 60_000 },
      cookies,
    );
    assert.equal(await records.sessionLive(records.sessionKey(id)), true);
    assert.equal(await records.endSession(records.sessionKey(id)), true);
    assert.equal(await store.load(hashId(id), cookies), null);
    assert.equal(await records.sessionLive(records.sessionKey(id)), false);
  });

  it('with the cookie store: records in process memory, and no session it can end or see', async () => {
    const store = cookieStore({
      secrets: ['s'.repeat(32)],
      cookieName: 'session_lab_id_data',
      path: '/',
      sameSite: 'lax',
    });
    const records = await recordsOn(store);
    assert.equal(records.serverSide, false);
    await records.update('demo:a', () => ({ value: 'kept', ttlMs: 60_000 }));
    assert.equal(await records.read('demo:a'), 'kept');
    const key = records.sessionKey(generateId());
    assert.equal(await records.endSession(key), false);
    assert.equal(await records.sessionLive(key), undefined);
  });
});
