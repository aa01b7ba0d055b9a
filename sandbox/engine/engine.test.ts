// The engine end to end, without sockets: cookies out, sessions kept, the app's API, regenerate, destroy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ramStore } from '../stores/ram.ts';
import { counter, nameForm } from '../testing/apps.ts';
import { TestClient } from '../testing/client.ts';
import { COOKIE, cookiesNamed, lab, recordOf, spyStore } from '../testing/engine.ts';
import { createTransport } from '../transports/index.ts';
import { defineConfig } from './config.ts';
import { type App, Engine, type ServedExchange } from './engine.ts';
import { hashId } from './ids.ts';
import type { RequestCookies } from './types.ts';

const SECURE_COOKIE = `__Secure-${COOKIE}`;
const countOf = (text: string): number => Number(/<output id="count">(\d+)<\/output>/.exec(text)?.[1]);

/** Answers with the session as JSON; `/login` regenerates, `/logout` destroys, `/noop` touches nothing. */
const accounts: App = async (request, session) => {
  const url = new URL(request.url);
  switch (url.pathname) {
    case '/login':
      session.set('user', url.searchParams.get('user') ?? 'alice');
      session.regenerate();
      break;
    case '/logout':
      session.destroy();
      if (url.searchParams.has('flash')) session.set('flash', 'You are logged out');
      break;
    case '/noop':
      return new Response('nothing to remember');
    default:
      session.set('visits', Number(session.get('visits') ?? 0) + 1);
  }
  return Response.json({ data: Object.fromEntries(session.entries()), isNew: session.isNew });
};

describe('when a browser first visits', () => {
  it('answers 1 and sets exactly one session cookie: HttpOnly, SameSite=Lax, Path=/, no Domain', async () => {
    const { text, setCookie, response } = await lab(counter).client().get('/');
    assert.equal(response.status, 200);
    assert.equal(countOf(text), 1);
    assert.equal(setCookie.length, 1);
    const [cookie] = cookiesNamed(setCookie);
    assert.ok(cookie);
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(cookie.attributes.get('httponly'), true);
    assert.equal(cookie.attributes.get('samesite'), 'Lax');
    assert.equal(cookie.attributes.get('path'), '/');
    assert.equal(cookie.attributes.has('domain'), false);
    // A browser-session cookie: gone when the browser closes (OWASP "Expire and Max-Age").
    assert.equal(cookie.attributes.has('max-age'), false);
    assert.equal(cookie.attributes.has('expires'), false);
    assert.equal(cookie.attributes.has('secure'), false, 'no Secure over plain http');
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('over https, names the cookie __Secure-session_lab_id and marks it Secure, and keeps the session by it', async () => {
    const browser = lab(counter).client('https://session.test');
    const { setCookie } = await browser.get('/');
    assert.deepEqual(cookiesNamed(setCookie), [], 'no unprefixed cookie');
    const [cookie] = cookiesNamed(setCookie, SECURE_COOKIE);
    assert.equal(cookie?.attributes.get('secure'), true);
    assert.equal(countOf((await browser.get('/')).text), 2);
  });

  it('over https, does not read an unprefixed cookie (one a plain-http page could have planted)', async () => {
    const { client } = lab(counter);
    const victim = client('https://session.test');
    await victim.get('/');
    const id = victim.jar.get(SECURE_COOKIE) ?? '';
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    const planted = await client('https://session.test').get('/', { cookie: `${COOKIE}=${id}` });
    assert.equal(countOf(planted.text), 1, 'a new session, not the one the plain cookie names');
    const overHttp = await client().get('/', { cookie: `${SECURE_COOKIE}=${id}` });
    assert.equal(countOf(overHttp.text), 1, 'and http does not read the prefixed one');
  });

  it('believes X-Forwarded-Proto only with trustProxy (expressjs/session#281)', async () => {
    const forwarded = { 'x-forwarded-proto': 'https' };
    const trusted = await lab(counter, { trustProxy: true }).client().get('/', forwarded);
    assert.equal(cookiesNamed(trusted.setCookie, SECURE_COOKIE)[0]?.attributes.get('secure'), true);
    const untrusted = await lab(counter).client().get('/', forwarded);
    assert.equal(cookiesNamed(untrusted.setCookie)[0]?.attributes.has('secure'), false);
    const plain = await lab(counter, { trustProxy: true }).client().get('/', { 'x-forwarded-proto': 'http' });
    assert.equal(cookiesNamed(plain.setCookie)[0]?.attributes.has('secure'), false);
  });

  it('with cookiePersistent, gives the cookie Max-Age = timeout and re-sends it as the session is extended', async () => {
    const browser = lab(counter, { cookiePersistent: true, timeout: 30 }).client();
    const first = cookiesNamed((await browser.get('/')).setCookie)[0];
    const maxAge = Number(first?.attributes.get('max-age'));
    assert.ok(Math.abs(maxAge - 30 * 60) <= 2, `Max-Age ${maxAge}`);
    assert.ok(first?.attributes.has('expires'));
    const second = cookiesNamed((await browser.get('/')).setCookie)[0];
    assert.equal(second?.value, first?.value, 'same id, re-sent with a fresh Max-Age');
    assert.ok(Math.abs(Number(second?.attributes.get('max-age')) - 30 * 60) <= 2);
  });
});

describe('with cookiePersistent, on a request that saves nothing', () => {
  it('sends no Set-Cookie (a 404, a page that only reads): the stored expiry did not move', async () => {
    const browser = lab(accounts, { cookiePersistent: true, timeout: 30 }).client();
    await browser.get('/');
    const { setCookie } = await browser.get('/noop');
    assert.deepEqual(setCookie, []);
    const notFound = lab(nameForm, { cookiePersistent: true }).client();
    await notFound.post('/save', { firstName: 'Ada', lastName: 'Lovelace' });
    const missing = await notFound.get('/favicon.ico');
    assert.equal(missing.response.status, 404);
    assert.deepEqual(missing.setCookie, []);
  });
});

describe('when a browser comes back with its cookie', () => {
  it('counts 2, 3 on the same id and sends no new cookie', async () => {
    const browser = lab(counter).client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE);
    for (const expected of [2, 3]) {
      const { text, setCookie } = await browser.get('/');
      assert.equal(countOf(text), expected);
      assert.deepEqual(setCookie, []);
      assert.equal(browser.jar.get(COOKIE), id);
    }
  });

  it('keeps two browsers apart', async () => {
    const { client } = lab(counter);
    const [a, b] = [client(), client()];
    await a.get('/');
    await a.get('/');
    assert.equal(countOf((await b.get('/')).text), 1);
    assert.equal(countOf((await a.get('/')).text), 3);
    assert.notEqual(a.jar.get(COOKIE), b.jar.get(COOKIE));
  });
});

describe('when a request stores nothing', () => {
  it('creates no session, sets no cookie and never calls the store (expressjs/session#541)', async () => {
    const store = spyStore(ramStore({ maxSessions: 10 }));
    const browser = lab(accounts, {}, store).client();
    for (let i = 0; i < 3; i++) {
      const { response, setCookie } = await browser.get('/noop');
      assert.equal(response.status, 200);
      assert.deepEqual(setCookie, []);
    }
    assert.deepEqual(store.calls, []);
  });

  it('answers GET /_inspect without a cookie with no store call and no cookie', async () => {
    const store = spyStore(ramStore({ maxSessions: 10 }));
    const { response, setCookie, text } = await lab(counter, {}, store).client().get('/_inspect');
    assert.equal(response.status, 200);
    assert.deepEqual(setCookie, []);
    assert.deepEqual(store.calls, []);
    assert.equal(JSON.parse(text).id, null);
  });
});

describe('when the inspector looks at a live session', () => {
  it('shows the stored data and a masked id, and sets no cookie (cherrypy#1855)', async () => {
    const browser = lab(counter).client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const { setCookie, text } = await browser.get('/_inspect');
    assert.deepEqual(setCookie, []);
    const body = JSON.parse(text);
    assert.deepEqual(body.data, { pageViews: 1 });
    assert.equal(body.live, true);
    assert.equal(body.storeKey, hashId(id));
    assert.ok(!text.includes(id), 'the whole id never appears');
    assert.equal(body.lastExchange.status, 200);
  });

  it('over https, masks the __Secure- cookie as it masks the plain one, and tamper changes that cookie', async () => {
    const browser = lab(counter).client('https://session.test');
    await browser.get('/');
    const id = browser.jar.get(SECURE_COOKIE) ?? '';
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    const { text } = await browser.get('/_inspect');
    assert.ok(!text.includes(id), 'the whole id never appears');
    const body = JSON.parse(text);
    assert.equal(body.live, true);
    assert.equal(body.cookies.received[SECURE_COOKIE].length, 1);
    assert.match(body.lastExchange.setCookie[0], /^__Secure-session_lab_id=[^;]*…/);
    await browser.post('/_lab/tamper', {});
    const tampered = browser.jar.get(SECURE_COOKIE) ?? '';
    assert.equal(tampered.length, id.length);
    assert.notEqual(tampered, id);
    assert.equal(countOf((await browser.get('/')).text), 1, 'the tampered id is refused');
  });

  it('with ?after= waits for the next request of that session and answers with its result', async () => {
    const browser = lab(counter).client();
    await browser.get('/');
    const before = JSON.parse((await browser.get('/_inspect')).text).lastExchange.at;
    await new Promise((resolve) => setTimeout(resolve, 2)); // the next exchange gets a later `at`
    const asked = browser.get(`/_inspect?after=${before}`);
    let answered = false;
    void asked.then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(answered, false, 'it waits while the session has no newer exchange');
    await browser.get('/');
    const body = JSON.parse((await asked).text);
    assert.deepEqual(body.data, { pageViews: 2 });
    assert.ok(body.lastExchange.at > before);
  });

  it('with ?after= never holds the page it wakes: the page answers while the inspection is still reading', async () => {
    // A store whose inspect view waits until the test lets it go: the woken inspection is stuck there.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ram = ramStore({ maxSessions: 10 });
    const inspect = ram.inspect?.bind(ram);
    const slowView = {
      ...ram,
      inspect: async (key: string, cookies: RequestCookies) => {
        await gate;
        return inspect ? inspect(key, cookies) : null;
      },
    };
    const browser = lab(counter, {}, slowView).client();
    await browser.get('/');
    const before = Date.now(); // after the first page's exchange: its inspect view would wait at the gate
    await new Promise((resolve) => setTimeout(resolve, 2));
    let answered = false;
    const asked = browser.get(`/_inspect?after=${before}`).then((answer) => {
      answered = true;
      return answer;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const page = await browser.get('/');
    assert.equal(countOf(page.text), 2, 'the page answered');
    assert.equal(answered, false, 'while its inspection had not');
    release();
    assert.deepEqual(JSON.parse((await asked).text).data, { pageViews: 2 });
  });

  it('with ?after= arriving just after the page it asks about answers at once with that page', async () => {
    const browser = lab(counter).client();
    await browser.get('/');
    const since = JSON.parse((await browser.get('/_inspect')).text).lastExchange.at;
    await new Promise((resolve) => setTimeout(resolve, 2));
    await browser.get('/');
    const started = Date.now();
    const body = JSON.parse((await browser.get(`/_inspect?after=${since}`)).text);
    assert.ok(Date.now() - started < 1_000, 'it did not wait for another exchange');
    assert.deepEqual(body.data, { pageViews: 2 });
    assert.ok(body.lastExchange.at > since);
  });

  it('with ?after= answers with what it has once its wait is over', async () => {
    const browser = lab(counter, {}, ramStore({ maxSessions: 10 }), { inspectWaitMs: 30 }).client();
    await browser.get('/');
    const before = JSON.parse((await browser.get('/_inspect')).text).lastExchange.at;
    const started = Date.now();
    const body = JSON.parse((await browser.get(`/_inspect?after=${before}`)).text);
    assert.ok(Date.now() - started >= 25, 'it waited');
    assert.deepEqual(body.data, { pageViews: 1 });
    assert.equal(body.lastExchange.at, before);
  });
});

describe('when the app logs in (regenerate)', () => {
  it('moves the data to a new id and retires the old one (OWASP "Renew the Session ID"; withastro/astro#12863)', async () => {
    const { client, store } = lab(accounts);
    const browser = client();
    await browser.get('/');
    const before = browser.jar.get(COOKIE) ?? '';
    const { text, setCookie } = await browser.get('/login?user=alice');
    const after = browser.jar.get(COOKIE) ?? '';
    assert.equal(cookiesNamed(setCookie).length, 1);
    assert.notEqual(after, before);
    assert.match(after, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(JSON.parse(text).data, { visits: 1, user: 'alice' });
    assert.equal(await recordOf(store, before), null, 'old record gone');
    assert.deepEqual((await recordOf(store, after))?.data, { visits: 1, user: 'alice' });
    // The new id carries the data on.
    assert.deepEqual(JSON.parse((await browser.get('/')).text).data, { visits: 2, user: 'alice' });
    // Whoever still holds the old id (an attacker who planted it) gets a fresh, empty session.
    const replay = await client().get('/', { cookie: `${COOKIE}=${before}` });
    assert.deepEqual(JSON.parse(replay.text), { data: { visits: 1 }, isNew: true });
    assert.notEqual(cookiesNamed(replay.setCookie)[0]?.value, before);
  });
});

describe('when the app logs out (destroy)', () => {
  it('clears the cookie on the same Path, deletes the record, and a replayed cookie gets a fresh session', async () => {
    const { client, store } = lab(accounts, { cookiePath: '/' });
    const browser = client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const { setCookie } = await browser.get('/logout');
    const [cleared] = cookiesNamed(setCookie);
    assert.equal(cleared?.value, '');
    assert.equal(cleared?.attributes.get('max-age'), '0');
    assert.equal(cleared?.attributes.get('path'), '/');
    assert.equal(browser.jar.values.has(COOKIE), false);
    assert.equal(await recordOf(store, id), null);
    const replay = await client().get('/', { cookie: `${COOKIE}=${id}` });
    assert.deepEqual(JSON.parse(replay.text), { data: { visits: 1 }, isNew: true });
    assert.notEqual(cookiesNamed(replay.setCookie)[0]?.value, id);
  });
});

describe('when the app logs out and leaves a message in the session', () => {
  it('deletes the old record and starts a new session holding only the message', async () => {
    const { client, store } = lab(accounts);
    const browser = client();
    await browser.get('/login?user=alice');
    const old = browser.jar.get(COOKIE) ?? '';
    const { text, setCookie } = await browser.get('/logout?flash');
    const fresh = cookiesNamed(setCookie)[0]?.value ?? '';
    assert.match(fresh, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(fresh, old);
    assert.deepEqual(JSON.parse(text).data, { flash: 'You are logged out' });
    assert.equal(await recordOf(store, old), null);
    assert.deepEqual((await recordOf(store, fresh))?.data, { flash: 'You are logged out' });
  });
});

describe('when the cookie needs Secure to be changed at all (a __Host- name over https)', () => {
  it('sends Secure on the deleting Set-Cookie too, or the browser would keep the cookie', async () => {
    const browser = lab(accounts, { cookieName: '__Host-sid' }).client('https://session.test');
    await browser.get('/');
    const set = cookiesNamed((await browser.get('/noop')).setCookie, '__Host-sid');
    assert.deepEqual(set, []);
    const [cleared] = cookiesNamed((await browser.get('/logout')).setCookie, '__Host-sid');
    assert.equal(cleared?.attributes.get('max-age'), '0');
    assert.equal(cleared?.attributes.get('secure'), true);
    assert.equal(cleared?.attributes.get('path'), '/');
  });
});

describe('when the app uses the session API', () => {
  it('sees get/set/has/delete/clear/entries/size, isNew, expiresAt and a masked id', async () => {
    const seen: Record<string, unknown>[] = [];
    const app: App = (request, session) => {
      const step = new URL(request.url).pathname;
      if (step === '/1') {
        seen.push({
          isNew: session.isNew,
          size: session.size,
          expires: session.expiresAt,
          masked: session.maskedId,
        });
        session.set('a', 1).set('b', { list: [1, 'x', null, true] });
        seen.push({
          has: session.has('a'),
          b: session.get('b'),
          size: session.size,
          masked: session.maskedId,
        });
      } else if (step === '/2') {
        seen.push({ isNew: session.isNew, entries: session.entries(), expires: session.expiresAt });
        seen.push({ deleted: session.delete('a'), again: session.delete('a'), has: session.has('a') });
      } else {
        seen.push({ size: session.size, b: session.get('b') });
        session.clear();
        seen.push({ size: session.size, entries: session.entries() });
      }
      return new Response('ok');
    };
    const { client, store } = lab(app, { timeout: 10 });
    const browser = client();
    await browser.get('/1');
    const id = browser.jar.get(COOKIE) ?? '';
    const before = Date.now();
    await browser.get('/2');
    await browser.get('/3');
    const [s1, s2, s3, s4, s5, s6] = seen;
    assert.deepEqual(s1, { isNew: true, size: 0, expires: undefined, masked: undefined });
    assert.equal(s2?.has, true);
    assert.deepEqual(s2?.b, { list: [1, 'x', null, true] });
    assert.equal(s2?.size, 2);
    const masked = String(s2?.masked);
    assert.ok(masked.length < 12 && !masked.includes(id) && id.startsWith(masked.slice(0, 6)), masked);
    assert.equal(s3?.isNew, false);
    assert.deepEqual(s3?.entries, [
      ['a', 1],
      ['b', { list: [1, 'x', null, true] }],
    ]);
    const expires = (s3?.expires as Date | undefined)?.getTime() ?? 0;
    assert.ok(expires > before + 9 * 60_000 && expires <= before + 10 * 60_000, 'expiresAt ≈ now + timeout');
    assert.deepEqual(s4, { deleted: true, again: false, has: false });
    assert.deepEqual(s5, { size: 1, b: { list: [1, 'x', null, true] } });
    assert.deepEqual(s6, { size: 0, entries: [] });
    assert.deepEqual((await recordOf(store, id))?.data, {}, 'a cleared session is stored empty');
  });

  it('keeps a key named get, __proto__ or constructor as plain data', async () => {
    const app: App = (_request, session) => {
      if (session.isNew) {
        session.set('get', 'g').set('__proto__', { polluted: true }).set('constructor', 'c');
      }
      return Response.json(Object.fromEntries(session.entries()));
    };
    const browser = lab(app).client();
    await browser.get('/');
    const data = JSON.parse((await browser.get('/')).text);
    assert.deepEqual(Object.keys(data).sort(), ['__proto__', 'constructor', 'get']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  class Point {
    x = 1;
  }
  const notJson: [string, unknown, string][] = [
    ['a Date', { when: new Date() }, 'profile.when is a Date'],
    ['a Map', new Map(), 'profile is a Map'],
    ['undefined', undefined, 'profile is undefined'],
    ['NaN', { list: [1, Number.NaN] }, 'profile.list[1] is NaN'],
    ['a function', () => 1, 'profile is a function'],
    ['a class instance', { deep: { p: new Point() } }, 'profile.deep.p is a Point'],
  ];
  for (const [what, value, message] of notJson) {
    it(`answers 500 naming the key path when the app stores ${what}, and stores nothing`, async () => {
      const store = spyStore(ramStore({ maxSessions: 10 }));
      const app: App = (_request, session) => {
        session.set('ok', 1);
        session.set('profile', value as never);
        return new Response('unreachable');
      };
      const { response, text, setCookie } = await lab(app, {}, store).client().get('/');
      assert.equal(response.status, 500);
      assert.ok(text.includes(`session value ${message}`), text);
      assert.doesNotMatch(text, /at .*\.ts:\d+/, 'no stack trace');
      assert.deepEqual(setCookie, []);
      assert.deepEqual(store.calls, []);
    });
  }

  it('answers 500 and saves nothing when the app changed a value from get in place to hold a Map', async () => {
    const store = spyStore(ramStore({ maxSessions: 10 }));
    const app: App = (request, session) => {
      if (session.isNew) session.set('profile', { name: 'Ada', tags: [] });
      else if (request.url.endsWith('/map'))
        (session.get('profile') as { tags: unknown[] }).tags.push(new Map());
      return new Response('ok');
    };
    const browser = lab(app, { writePolicy: 'always' }, store).client();
    await browser.get('/');
    const saves = store.calls.filter((call) => call === 'save').length;
    const { response, text } = await browser.get('/map');
    assert.equal(response.status, 500);
    assert.ok(text.includes('session value profile.tags[0] is a Map'), text);
    assert.equal(store.calls.filter((call) => call === 'save').length, saves, 'nothing saved');
    assert.deepEqual((await recordOf(store, browser.jar.get(COOKIE) ?? ''))?.data, {
      profile: { name: 'Ada', tags: [] },
    });
  });
});

describe('the onExchange hook (how the inspector follows sessions)', () => {
  it('is told once per request: the session key, the id it came with, and the cookies set', async () => {
    const seen: ServedExchange[] = [];
    const config = defineConfig();
    const engine = new Engine(config, ramStore({ maxSessions: 10 }), createTransport(config), {
      onExchange: (exchange) => seen.push(exchange),
    });
    const browser = new TestClient((request) => engine.handle(request, counter));
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    await browser.get('/page?x=1');
    assert.equal(seen.length, 2);
    const [first, second] = seen as [ServedExchange, ServedExchange];
    assert.equal(first.sessionKey, hashId(id));
    assert.equal(first.presentedKey, undefined);
    assert.deepEqual(first.cookieChanges, [[COOKIE, id]]);
    assert.equal(cookiesNamed(first.setCookie).length, 1);
    assert.equal(second.presentedKey, hashId(id));
    assert.equal(second.sessionKey, hashId(id));
    assert.equal(second.url.pathname + second.url.search, '/page?x=1');
    assert.equal(second.cookieHeader, `${COOKIE}=${id}`);
    assert.deepEqual([second.method, second.status, second.rejected], ['GET', 200, 'none']);
    assert.deepEqual(second.cookieChanges, []);
    await browser.get('/', { cookie: `${COOKIE}=${'x'.repeat(43)}` });
    assert.equal(seen[2]?.rejected, 'unknown', 'a refused id is told too');
  });
});
