// `_inspect?after=` as the site's inspector sends it: as a click leaves the page, so it carries the
// cookies from before the click. Its answer must show the state after the click (the cookie store's
// data is the cookie), a refused id's refusal, and never a session to whoever holds a refused id.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { App } from '../engine/engine.ts';
import { cookieStore } from '../stores/cookie.ts';
import { counter, nameForm } from '../testing/apps.ts';
import type { TestClient } from '../testing/client.ts';
import { COOKIE, lab } from '../testing/engine.ts';
import { CARRIED_ANSWER_HEADER, readCarriedAnswer } from './carried-answer.ts';
import { memoryExchangeLog } from './exchange-log.ts';

const DATA = `${COOKIE}_data`;
const sealed = () => cookieStore({ secrets: ['s'.repeat(32)], cookieName: DATA, path: '/', sameSite: 'lax' });
const tick = () => new Promise((resolve) => setTimeout(resolve, 2)); // the next exchange gets a later `at`
const masked = (value: string) => `${value.slice(0, 6)}…${value.slice(-2)}`;

/** The inspection a click sends, then the click's own request, both with the cookies from before it. */
async function click(browser: TestClient, path: string, after: number) {
  const cookie = browser.jar.header();
  const asked = browser.get(`/_inspect?after=${after}`, { cookie });
  await new Promise((resolve) => setImmediate(resolve));
  await browser.get(path, { cookie });
  return JSON.parse((await asked).text);
}

async function lastAt(browser: TestClient): Promise<number> {
  const at = JSON.parse((await browser.get('/_inspect')).text).lastExchange.at as number;
  await tick();
  return at;
}

describe('an inspection sent as a click leaves the page (?after=)', () => {
  for (const store of ['ram', 'cookie'] as const) {
    it(`${store}: shows the session after the click, not the cookies it carried from before`, async () => {
      const { client } = lab(counter, { storageType: store }, store === 'cookie' ? sealed() : undefined);
      const browser = client();
      for (let i = 0; i < 3; i++) await browser.get('/');
      for (let views = 4; views <= 6; views++) {
        const body = await click(browser, '/', await lastAt(browser));
        assert.deepEqual(body.data, { pageViews: views }, 'the count the page shows');
        assert.equal(body.behind, undefined);
        if (store === 'cookie') {
          const now = browser.jar.get(DATA) ?? '';
          assert.deepEqual(body.cookies.received[DATA], [masked(now)], 'the cookie the browser holds now');
          assert.equal(body.stored.raw, now);
          assert.deepEqual(body.stored.details.payload.data, { pageViews: views });
        }
      }
    });
  }

  it('carries its answer in its head as well, read before the body; a plain inspection does not', async () => {
    const { client } = lab(counter, { storageType: 'ram' });
    const browser = client();
    await browser.get('/');
    const after = await lastAt(browser);
    const cookie = browser.jar.header();
    const asked = browser.get(`/_inspect?after=${after}`, { cookie });
    await new Promise((resolve) => setImmediate(resolve));
    await browser.get('/', { cookie });
    const { response, text } = await asked;
    const carried = readCarriedAnswer(response.headers.get(CARRIED_ANSWER_HEADER));
    assert.deepEqual(carried, JSON.parse(text));
    assert.deepEqual(carried?.data, { pageViews: 2 });
    const plain = await browser.get('/_inspect');
    assert.equal(plain.response.headers.get(CARRIED_ANSWER_HEADER), null);
  });

  it('says it is behind when the click set cookies this process did not see (another one served it)', async () => {
    // Two processes with one exchange log (as behind the shared state) and the same secret.
    const exchangeLog = memoryExchangeLog(10);
    const page = lab(counter, { storageType: 'cookie' }, sealed(), { exchangeLog });
    const other = lab(counter, { storageType: 'cookie' }, sealed(), { exchangeLog, inspectWaitMs: 50 });
    const browser = page.client();
    await browser.get('/');
    const since = await lastAt(browser);
    const cookie = browser.jar.header();
    await browser.get('/', { cookie });
    const body = JSON.parse((await other.client().get(`/_inspect?after=${since}`, { cookie })).text);
    assert.ok(body.lastExchange.at > since, 'it knows the exchange');
    assert.deepEqual(body.data, { pageViews: 1 }, 'but only the cookie it carried');
    assert.equal(body.behind, true);
  });
});

/** Answers 200 and stores nothing: a page a refused visitor reads without making a session. */
const reader: App = () => new Response('nothing stored');

describe('a tampered id, inspected as the tamper button does', () => {
  for (const store of ['ram', 'cookie'] as const) {
    it(`${store}: shows the request that carried it, its refusal and the Set-Cookie that clears it`, async () => {
      const served: App = (request, session, context) =>
        new URL(request.url).pathname === '/read'
          ? reader(request, session, context)
          : counter(request, session, context);
      const { client } = lab(served, { storageType: store }, store === 'cookie' ? sealed() : undefined);
      const browser = client();
      await browser.get('/');
      await browser.get('/');
      const since = await lastAt(browser);
      await browser.post('/_lab/tamper', {});
      const body = await click(browser, '/read', since);
      assert.equal(body.id, null);
      assert.equal(body.live, false);
      const exchange = body.lastExchange;
      assert.ok(exchange.at > since);
      assert.equal(exchange.path, '/read');
      assert.equal(exchange.rejected, 'unknown');
      assert.match(
        exchange.cookieHeader,
        store === 'cookie' ? new RegExp(`${DATA}=`) : new RegExp(`${COOKIE}=`),
      );
      const cleared = exchange.setCookie.map((line: string) => line.split('=')[0]).sort();
      assert.deepEqual(cleared, store === 'cookie' ? [COOKIE, DATA] : [COOKIE]);
      assert.ok(exchange.setCookie.every((line: string) => /Max-Age=0/.test(line)));
      assert.deepEqual([...browser.jar.values.keys()], [], 'the browser holds no session cookie any more');
      assert.deepEqual(body.cookies.received, {}, 'and the inspector says so');
    });
  }

  it('the cookie store replaces a tampered data cookie when the page makes a new session', async () => {
    const { client } = lab(nameForm, { storageType: 'cookie' }, sealed());
    const browser = client();
    await browser.post('/save', { firstName: 'Ada', lastName: 'Lovelace' });
    await browser.post('/_lab/tamper', {});
    const tampered = browser.jar.get(DATA);
    await browser.get('/');
    assert.notEqual(browser.jar.get(DATA), tampered, 'the tampered data cookie is gone');
  });

  it('whoever holds a refused id learns nothing of the session the server made instead', async () => {
    const { client } = lab(counter);
    const victim = client();
    await victim.get('/');
    const since = await lastAt(victim);
    await victim.post('/_lab/tamper', {});
    const planted = victim.jar.get(COOKIE) ?? '';
    // The holder of the refused id asks ahead, as the site's inspector would; the victim's page then makes
    // a new session (the counter saves), whose id and data must not reach that inspection.
    const watcher = client();
    const asked = watcher.get(`/_inspect?after=${since}`, { cookie: `${COOKIE}=${planted}` });
    await new Promise((resolve) => setImmediate(resolve));
    await victim.get('/');
    const fresh = victim.jar.get(COOKIE) ?? '';
    assert.notEqual(fresh, planted);
    const body = JSON.parse((await asked).text);
    assert.equal(body.live, false);
    assert.equal(body.data, null);
    assert.notEqual(body.id, masked(fresh));
    assert.doesNotMatch(JSON.stringify(body), new RegExp(masked(fresh).replace('…', '.')));
  });
});
