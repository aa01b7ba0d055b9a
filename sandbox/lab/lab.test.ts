import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineConfig } from '../engine/config.ts';
import { Inspector } from '../inspector/inspector.ts';
import { cookieStore } from '../stores/cookie.ts';
import { ramStore } from '../stores/ram.ts';
import { counter } from '../testing/apps.ts';
import { TestClient } from '../testing/client.ts';
import { createTransport } from '../transports/index.ts';

const count = (text: string) => Number(/<output id="count">(\d+)</.exec(text)?.[1]);

function setup() {
  const config = defineConfig();
  const inspector = new Inspector(config, ramStore({ maxSessions: 100 }), createTransport(config));
  const client = new TestClient((request) => inspector.handle(request, counter));
  return { inspector, client };
}

describe('the inspector buttons (POST /_lab/…)', () => {
  it('regenerate gives a new id and keeps the count', async () => {
    const { client } = setup();
    await client.get('/');
    const before = client.jar.get('session_lab_id');
    const { response } = await client.post('/_lab/regenerate', {});
    assert.equal(response.status, 204);
    assert.notEqual(client.jar.get('session_lab_id'), before);
    assert.equal(count((await client.get('/')).text), 2);
  });

  it('expire ends the session now: the next visit starts again at 1 with a new id', async () => {
    const { client } = setup();
    await client.get('/');
    await client.get('/');
    const before = client.jar.get('session_lab_id');
    await client.post('/_lab/expire', {});
    const inspected = JSON.parse((await client.get('/_inspect')).text);
    assert.equal(inspected.live, false, 'the record is still there but no longer live');
    assert.equal(count((await client.get('/')).text), 1);
    assert.notEqual(client.jar.get('session_lab_id'), before);
  });

  it('forget drops the cookie but leaves the record for the sweeper', async () => {
    const { client, inspector } = setup();
    await client.get('/');
    const old = client.jar.get('session_lab_id');
    const { setCookie } = await client.post('/_lab/forget', {});
    assert.match(setCookie[0] ?? '', /^session_lab_id=; Path=\/; Max-Age=0/);
    assert.equal(client.jar.values.has('session_lab_id'), false);
    const replay = await inspector.answer(
      new Request('http://session.test/_inspect', { headers: { cookie: `session_lab_id=${old}` } }),
    );
    assert.equal((await replay.json()).live, true);
  });

  it('tamper changes one character, and the server then refuses the cookie', async () => {
    const { client } = setup();
    await client.get('/');
    await client.get('/');
    const before = client.jar.get('session_lab_id') ?? '';
    await client.post('/_lab/tamper', {});
    const after = client.jar.get('session_lab_id') ?? '';
    assert.equal(after.length, before.length);
    assert.equal([...after].filter((c, i) => c !== before[i]).length, 1);
    assert.equal(count((await client.get('/')).text), 1);
  });

  // Values a client can send that this server never set; the tamper button writes the value back
  // into a Set-Cookie, so each must be refused before it gets there (it used to throw: a 500).
  const crafted = [
    ['a header break and ;', '%3B%0d%0aX'],
    ['a NUL', '%00'],
    ['unicode', '%C3%A9t%C3%A9'],
    ['10 KB', 'A'.repeat(10_240)],
    ['a space', 'a%20b'],
  ] as const;
  const dataStore = () =>
    new Inspector(
      defineConfig({ storageType: 'cookie' }),
      cookieStore({
        secrets: ['s'.repeat(32)],
        cookieName: 'session_lab_id_data',
        path: '/',
        sameSite: 'lax',
      }),
      createTransport(defineConfig()),
    );
  for (const [store, engine, name] of [
    ['the id cookie', () => setup().inspector, 'session_lab_id'],
    ['the cookie store’s data cookie', dataStore, 'session_lab_id_data'],
  ] as const) {
    for (const [what, value] of crafted) {
      it(`tamper answers 400 to ${store} holding ${what}, sets nothing and logs nothing`, async (t) => {
        const logged = t.mock.method(console, 'error', () => {});
        const client = new TestClient((request) => engine().handle(request, counter));
        const { response, text, setCookie } = await client.post(
          '/_lab/tamper',
          {},
          { cookie: `${name}=${value}` },
        );
        assert.equal(response.status, 400);
        assert.match(text, /is not one this server sets/);
        assert.doesNotMatch(text, /[\r\0]|\bX\b/, 'nothing of the value is echoed');
        assert.deepEqual(setCookie, []);
        assert.equal(logged.mock.callCount(), 0, 'no stack trace in the log');
      });
    }
  }

  it('an unknown action is a 404', async () => {
    const { client } = setup();
    await client.get('/');
    assert.equal((await client.post('/_lab/explode', {})).response.status, 404);
  });
});
