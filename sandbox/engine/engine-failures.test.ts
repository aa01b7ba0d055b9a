// When a session cannot be saved or the store does not answer: a clear page with the right status,
// never a stack trace, and nothing lost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ramStore } from '../stores/ram.ts';
import { counter } from '../testing/apps.ts';
import { COOKIE, flakyStore, lab } from '../testing/engine.ts';
import type { App } from './engine.ts';
import { STORE_CALL_MS } from './engine.ts';

const countOf = (text: string): number => Number(/<output id="count">(\d+)<\/output>/.exec(text)?.[1]);

/** `/big` tries to store 2 000 bytes; anything else stores a small note and shows what the session holds. */
const notes: App = (request, session) => {
  if (new URL(request.url).pathname === '/big') session.set('big', 'x'.repeat(2_000));
  else session.set('note', 'small');
  return Response.json(Object.fromEntries(session.entries()));
};

describe('when the session outgrows maxSessionBytes', () => {
  it('answers 413 with a clear message and keeps what the session held before', async () => {
    const browser = lab(notes, { maxSessionBytes: 1_000 }).client();
    await browser.get('/');
    const { response, text } = await browser.get('/big');
    assert.equal(response.status, 413);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(text, /The session is too large/);
    assert.match(text, /session is \d{4} bytes; the limit is 1000/);
    assert.match(text, /Nothing was saved/);
    const after = await browser.get('/');
    assert.equal(after.response.status, 200);
    assert.deepEqual(JSON.parse(after.text), { note: 'small' });
  });

  it('sets no cookie for a new session that is too large to store', async () => {
    const { response, setCookie } = await lab(notes, { maxSessionBytes: 1_000 }).client().get('/big');
    assert.equal(response.status, 413);
    assert.deepEqual(setCookie, []);
  });
});

describe('when the store is down', () => {
  it('answers 503 with Retry-After and the store’s hint, not a stack trace; then recovers', async () => {
    const store = flakyStore(ramStore({ maxSessions: 10 }));
    const browser = lab(counter, {}, store).client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE);
    store.health = 'down';
    const { response, text } = await browser.get('/');
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.match(text, /The session store is not available/);
    assert.match(text, /connection refused/);
    assert.match(text, /Start the server and try again\./);
    assert.doesNotMatch(text, /\bat .*:\d+:\d+/, 'no stack trace');
    store.health = 'up';
    const back = await browser.get('/');
    assert.equal(back.response.status, 200);
    assert.equal(countOf(back.text), 2, 'the failed request lost nothing and changed nothing');
    assert.equal(browser.jar.get(COOKIE), id);
  });

  it('answers 503 when only the save fails, and the next request still sees the old data', async () => {
    const inner = ramStore({ maxSessions: 10 });
    const store = flakyStore(inner);
    const browser = lab(counter, {}, store).client();
    await browser.get('/');
    const load = store.load;
    store.load = (key, cookies) => inner.load(key, cookies); // loads work, saves fail
    store.health = 'down';
    assert.equal((await browser.get('/')).response.status, 503);
    store.health = 'up';
    store.load = load;
    assert.equal(countOf((await browser.get('/')).text), 2);
  });

  it('answers 503 when a call never returns, after the engine’s store timeout', async () => {
    assert.equal(STORE_CALL_MS, 5_000, 'the production limit tests shorten');
    const store = flakyStore(ramStore({ maxSessions: 10 }));
    const browser = lab(counter, {}, store, { storeCallMs: 150 }).client();
    await browser.get('/');
    store.health = 'hang';
    const started = Date.now();
    const { response, text } = await browser.get('/');
    const waited = Date.now() - started;
    assert.equal(response.status, 503);
    assert.ok(waited >= 140 && waited < 2_000, `answered after ${waited} ms`);
    assert.match(text, /no answer within 150 ms/);
    store.health = 'up';
    // The lock taken for the hung call was released: the next request is served at once.
    assert.equal(countOf((await browser.get('/')).text), 2);
  });

  it('reports the outage in the inspector as JSON with the same status', async () => {
    const store = flakyStore(ramStore({ maxSessions: 10 }));
    const browser = lab(counter, {}, store).client();
    await browser.get('/');
    store.health = 'down';
    const { response, text } = await browser.get('/_inspect');
    assert.equal(response.status, 503);
    assert.match(JSON.parse(text).error, /connection refused/);
  });
});

describe('when the app itself throws', () => {
  it('answers a plain 500 page without the error’s text and keeps the session as it was', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const app: App = (request, session) => {
        session.set('n', Number(session.get('n') ?? 0) + 1);
        if (new URL(request.url).pathname === '/boom') throw new Error('secret internals');
        return new Response(String(session.get('n')));
      };
      const browser = lab(app).client();
      await browser.get('/');
      const { response, text } = await browser.get('/boom');
      assert.equal(response.status, 500);
      assert.doesNotMatch(text, /secret internals/);
      assert.match(text, /Your session was not changed/);
      assert.equal((await browser.get('/')).text, '2');
      assert.equal(errors.length, 1, 'the error was logged once');
    } finally {
      console.error = original;
    }
  });
});
