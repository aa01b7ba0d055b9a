// The unsafe demo flaws (config `unsafeDemoFlaws`): each undoes exactly one defence, and only when
// switched on. With the list empty the engine behaves as every other engine test says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ramStore } from '../stores/ram.ts';
import { counter } from '../testing/apps.ts';
import { COOKIE, cookiesNamed, lab, recordOf } from '../testing/engine.ts';
import { createTransport } from '../transports/index.ts';
import { defineConfig } from './config.ts';
import { type App, type AppContext, Engine } from './engine.ts';
import { generateId } from './ids.ts';

const countOf = (text: string): number => Number(/<output id="count">(\d+)<\/output>/.exec(text)?.[1]);
const readOnly: App = (_request, session) => new Response(String(session.get('pageViews') ?? 'none'));
const adopting = { unsafeDemoFlaws: ['adopt-client-ids' as const] };

describe('adopt-client-ids: an unknown well-formed id becomes the session’s id', () => {
  it('stores the victim’s session under the planted id, so the attacker holding it shares the session', async () => {
    const { client, store } = lab(counter, adopting);
    const planted = generateId();
    const victim = client();
    const first = await victim.get('/', { cookie: `${COOKIE}=${planted}` });
    assert.equal(countOf(first.text), 1);
    assert.deepEqual(cookiesNamed(first.setCookie), [], 'the client keeps the id it came with');
    assert.deepEqual((await recordOf(store, planted))?.data, { pageViews: 1 });
    const attacker = await client().get('/', { cookie: `${COOKIE}=${planted}` });
    assert.equal(countOf(attacker.text), 2, 'the attacker is served the victim’s session');
  });

  it('keeps the adopted id in the links of a page that stores nothing (URL transport)', async () => {
    const page: App = () =>
      new Response('<a href="next">next</a>', { headers: { 'content-type': 'text/html' } });
    const { client, store } = lab(page, { ...adopting, transport: 'url' });
    const planted = generateId();
    const { text } = await client().get(`/?${COOKIE}=${planted}`);
    assert.match(text, new RegExp(`href="next\\?${COOKIE}=${planted}"`));
    assert.equal(await recordOf(store, planted), null, 'nothing stored for an empty session');
  });

  it('does not clear the cookie of a page that stores nothing', async () => {
    const { setCookie, text } = await lab(readOnly, adopting)
      .client()
      .get('/', { cookie: `${COOKIE}=${generateId()}` });
    assert.equal(text, 'none');
    assert.deepEqual(cookiesNamed(setCookie), []);
  });

  it('still refuses a malformed id and never adopts it', async () => {
    const { client } = lab(counter, adopting);
    const { setCookie } = await client().get('/', { cookie: `${COOKIE}=../../etc/passwd` });
    assert.match(cookiesNamed(setCookie)[0]?.value ?? '', /^[A-Za-z0-9_-]{43}$/);
  });

  it('serves a live session as usual, and a regenerated one leaves the planted id behind', async () => {
    const regenerating: App = (_request, session) => {
      session.set('user', 'alice');
      session.regenerate();
      return new Response('ok');
    };
    const { client, store } = lab(regenerating, adopting);
    const planted = generateId();
    const { setCookie } = await client().get('/', { cookie: `${COOKIE}=${planted}` });
    const issued = cookiesNamed(setCookie)[0]?.value;
    assert.ok(issued && issued !== planted);
    assert.equal(await recordOf(store, planted), null);
    assert.deepEqual((await recordOf(store, issued))?.data, { user: 'alice' });
  });

  it('tells the inspector the id was adopted', async () => {
    const { client } = lab(counter, adopting);
    const planted = generateId();
    await client().get('/', { cookie: `${COOKIE}=${planted}` });
    const inspected = await client().get('/_inspect', { cookie: `${COOKIE}=${planted}` });
    assert.equal(JSON.parse(inspected.text).lastExchange.rejected, 'adopted');
  });

  it('is off by default: the planted id is refused and a new one issued', async () => {
    const { client, store } = lab(counter);
    const planted = generateId();
    const { setCookie } = await client().get('/', { cookie: `${COOKIE}=${planted}` });
    assert.notEqual(cookiesNamed(setCookie)[0]?.value, planted);
    assert.equal(await recordOf(store, planted), null);
  });
});

describe('script-readable-cookie: the session cookie without HttpOnly', () => {
  it('drops HttpOnly only when switched on', async () => {
    const unsafe = await lab(counter, { unsafeDemoFlaws: ['script-readable-cookie'] })
      .client()
      .get('/');
    assert.equal(cookiesNamed(unsafe.setCookie)[0]?.attributes.has('httponly'), false);
    const safe = await lab(counter).client().get('/');
    assert.equal(cookiesNamed(safe.setCookie)[0]?.attributes.has('httponly'), true);
  });
});

describe('no-cross-site-check: a cross-site POST is served', () => {
  it('goes through only when switched on', async () => {
    const forged = { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' };
    const unsafe = await lab(counter, { unsafeDemoFlaws: ['no-cross-site-check'] })
      .client()
      .send('/', { method: 'POST', headers: forged });
    assert.equal(unsafe.response.status, 200);
    const safe = await lab(counter).client().send('/', { method: 'POST', headers: forged });
    assert.equal(safe.response.status, 403);
  });
});

describe('the flaws an app sees (context.unsafe)', () => {
  it('are the configured ones, and none by default', async () => {
    let seen: AppContext['unsafe'] | undefined;
    const app: App = (_request, _session, context) => {
      seen = context.unsafe;
      return new Response('ok');
    };
    await lab(app, { unsafeDemoFlaws: ['keep-id-at-sign-in'] })
      .client()
      .get('/');
    assert.deepEqual([...(seen ?? [])], ['keep-id-at-sign-in']);
    await lab(app).client().get('/');
    assert.equal(seen?.size, 0);
    const config = defineConfig();
    const engine = new Engine(config, ramStore({ maxSessions: 10 }), createTransport(config));
    assert.equal(engine.unsafe.size, 0);
  });
});
