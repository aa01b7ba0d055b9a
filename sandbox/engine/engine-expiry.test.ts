// Idle and absolute timeouts, enforced by the server whatever the client replays, and the sweeper.
// Timeouts are fractions of a minute (0.02 min = 1.2 s), so these tests wait; they run side by side.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ramStore } from '../stores/ram.ts';
import { counter } from '../testing/apps.ts';
import { COOKIE, cookiesNamed, lab, recordOf, sleep, spyStore } from '../testing/engine.ts';

const countOf = (text: string): number => Number(/<output id="count">(\d+)<\/output>/.exec(text)?.[1]);
const TIMEOUT_MIN = 0.02;
const TIMEOUT_MS = TIMEOUT_MIN * 60_000;

describe('when time passes', { concurrency: true }, () => {
  it('starts again at 1 with a fresh id after the idle timeout, and deletes the expired record', async () => {
    const { client, store } = lab(counter, { timeout: TIMEOUT_MIN });
    const browser = client();
    await browser.get('/');
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    await sleep(TIMEOUT_MS + 300);
    const { text, setCookie } = await browser.get('/');
    assert.equal(countOf(text), 1);
    const fresh = cookiesNamed(setCookie)[0]?.value;
    assert.ok(fresh && fresh !== id, 'a fresh id');
    assert.equal(await recordOf(store, id), null, 'the expired record is gone');
  });

  it('keeps a session alive past twice the timeout while requests keep coming (idle is sliding)', async () => {
    const browser = lab(counter, { timeout: TIMEOUT_MIN }).client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE);
    const started = Date.now();
    let count = 1;
    while (Date.now() - started < 2 * TIMEOUT_MS + 400) {
      await sleep(400);
      count++;
      assert.equal(countOf((await browser.get('/')).text), count);
    }
    assert.equal(browser.jar.get(COOKIE), id);
  });

  it('keeps a read-only session alive too: a request that changes nothing still extends it', async () => {
    const { client } = lab(
      (_request, session) => {
        if (session.isNew) session.set('mark', 'kept');
        return new Response(String(session.get('mark')));
      },
      { timeout: TIMEOUT_MIN },
    );
    const browser = client();
    await browser.get('/');
    const started = Date.now();
    while (Date.now() - started < 2 * TIMEOUT_MS + 400) {
      await sleep(400);
      const { text } = await browser.get('/');
      assert.equal(text, 'kept', `lost after ${Date.now() - started} ms`);
    }
  });

  it('ends the session at absoluteTimeout despite activity (OWASP "Absolute Timeout")', async () => {
    const browser = lab(counter, { timeout: TIMEOUT_MIN, absoluteTimeout: 0.025 }).client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE);
    const started = Date.now();
    let count = 1;
    let restarted = false;
    while (Date.now() - started < 2_400) {
      await sleep(300);
      const now = countOf((await browser.get('/')).text);
      if (now === 1) {
        restarted = true;
        assert.ok(Date.now() - started >= 1_400, `ended after ${Date.now() - started} ms, before 1.5 s`);
        assert.notEqual(browser.jar.get(COOKIE), id);
        break;
      }
      count++;
      assert.equal(now, count);
    }
    assert.ok(restarted, 'the session outlived its absolute timeout');
  });

  it('counts the idle deadline from the moment of saving: a request longer than the timeout still saves a live session', async () => {
    let savedAfter = 0;
    const { client, store } = lab(
      async (_request, session) => {
        if (session.isNew) {
          await sleep(TIMEOUT_MS + 300); // a slow app (or a long lock wait): longer than the idle timeout
          session.set('mark', 'saved');
          savedAfter = Date.now();
        }
        return new Response(String(session.get('mark')));
      },
      { timeout: TIMEOUT_MIN },
    );
    const browser = client();
    assert.equal((await browser.get('/')).text, 'saved');
    const record = await recordOf(store, browser.jar.get(COOKIE) ?? '');
    assert.ok(record && record.expiresAt >= savedAfter + TIMEOUT_MS, 'the deadline counts from the save');
    assert.equal((await browser.get('/')).text, 'saved', 'the next page remembers the visitor');
  });

  it('extends a session whose deadline passed while a read-only request ran, instead of letting it lapse', async () => {
    let slow = false;
    const { client } = lab(
      async (request, session) => {
        if (request.url.endsWith('/start')) session.set('mark', 'kept');
        if (slow) await sleep(TIMEOUT_MS + 300); // reads only: nothing changed, yet the old deadline passed
        return new Response(String(session.get('mark')));
      },
      { timeout: TIMEOUT_MIN },
    );
    const browser = client();
    await browser.get('/start');
    slow = true;
    assert.equal((await browser.get('/')).text, 'kept');
    slow = false;
    assert.equal((await browser.get('/')).text, 'kept', 'the session outlived the slow request');
  });

  it('refuses an expired cookie the store still holds (a sweep never ran), and deletes the record', async () => {
    const store = spyStore(ramStore({ maxSessions: 10 }));
    const { client } = lab(counter, { timeout: TIMEOUT_MIN }, store);
    const browser = client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    await sleep(TIMEOUT_MS + 200);
    const stale = await recordOf(store, id);
    assert.ok(stale && stale.expiresAt <= Date.now(), 'the store still has the expired record');
    // Like a client that ignores Expires and keeps replaying its cookie.
    const replay = await client().get('/', { cookie: `${COOKIE}=${id}` });
    assert.equal(countOf(replay.text), 1);
    assert.notEqual(cookiesNamed(replay.setCookie)[0]?.value, id);
    assert.equal(await recordOf(store, id), null);
    assert.ok(!store.calls.includes('sweep'));
  });

  it('sweep() removes expired records, keeps live ones and returns the count', async () => {
    const { client, engine, store } = lab(counter, { timeout: TIMEOUT_MIN });
    const old = [client(), client(), client()];
    for (const browser of old) await browser.get('/');
    await sleep(TIMEOUT_MS + 100);
    const live = client();
    await live.get('/');
    assert.equal(await engine.sweep(), 3);
    for (const browser of old) assert.equal(await recordOf(store, browser.jar.get(COOKIE) ?? ''), null);
    assert.ok(await recordOf(store, live.jar.get(COOKIE) ?? ''));
    assert.equal(await engine.sweep(), 0);
  });

  it('runs the sweeper on its own every cleanUpDelay minutes (fractions allowed)', async () => {
    const store = spyStore(ramStore({ maxSessions: 100 }));
    const { client, engine } = lab(counter, { timeout: 0.005, cleanUpDelay: 0.002 }, store);
    const browsers = Array.from({ length: 5 }, () => client());
    for (const browser of browsers) await browser.get('/');
    engine.startSweeper();
    try {
      await sleep(300 + 500);
      for (const browser of browsers) {
        assert.equal(await recordOf(store, browser.jar.get(COOKIE) ?? ''), null);
      }
      assert.ok(store.calls.filter((call) => call === 'sweep').length >= 2);
    } finally {
      await engine.close();
    }
    const after = store.calls.length;
    await sleep(300);
    assert.equal(store.calls.length, after, 'close() stopped the sweeper');
  });
});
