// Parallel requests on one session: serialised by the lock (no lost updates), lost updates without it,
// a lock always released, and a bounded wait for a stuck holder (cherrypy#1391, #604; expressjs/session#606).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COOKIE, lab, sleep } from '../testing/engine.ts';
import type { App } from './engine.ts';

/**
 * `/start` creates the session at 0. `/inc` reads, waits a little, writes n + 1: the read-modify-write
 * that loses updates when two requests interleave. `/slow?ms=` does the same slowly; `/throw` fails midway.
 */
const increments: App = async (request, session) => {
  const url = new URL(request.url);
  if (url.pathname === '/start') {
    session.set('n', 0);
    return new Response('0');
  }
  const n = Number(session.get('n') ?? 0);
  if (url.pathname === '/throw') throw new Error('the app failed while holding the session');
  const ms = url.pathname === '/slow' ? Number(url.searchParams.get('ms')) : Math.random() * 4;
  await sleep(ms);
  session.set('n', n + 1);
  return new Response(String(n + 1));
};

/** Five browsers sharing one cookie, thirty parallel increments each. */
async function hammer(config: Parameters<typeof lab>[1]): Promise<{ final: number; statuses: number[] }> {
  const { client } = lab(increments, config);
  const first = client();
  await first.get('/start');
  const cookie = `${COOKIE}=${first.jar.get(COOKIE)}`;
  const browsers = Array.from({ length: 5 }, () => client());
  const sent = browsers.flatMap((browser) =>
    Array.from({ length: 30 }, () => browser.get('/inc', { cookie })),
  );
  const statuses = (await Promise.all(sent)).map((sent) => sent.response.status);
  const final = Number((await first.get('/inc')).text) - 1;
  return { final, statuses };
}

describe('when 150 requests share one session', () => {
  it('counts exactly 150 with locking (auto), none lost (CherryPy test_1_Ram_Concurrency)', async () => {
    const { final, statuses } = await hammer({ locking: 'auto' });
    assert.deepEqual(new Set(statuses), new Set([200]));
    assert.equal(final, 150);
  });

  it('loses updates with locking none: the race the lock prevents (expressjs/session#606)', async () => {
    const { final, statuses } = await hammer({ locking: 'none' });
    assert.deepEqual(new Set(statuses), new Set([200]));
    assert.ok(final < 150, `final count ${final}`);
  });
});

describe('when the app throws while holding the lock', () => {
  it('releases it: the next request proceeds at once, well within lockTimeout', async () => {
    const browser = lab(increments, { lockTimeout: 5 }).client();
    await browser.get('/start');
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      assert.equal((await browser.get('/throw')).response.status, 500);
    } finally {
      console.error = original;
    }
    const started = Date.now();
    const { response, text } = await browser.get('/inc');
    assert.equal(response.status, 200);
    assert.equal(text, '1');
    assert.ok(Date.now() - started < 1_000, 'no wait for a lock nobody holds');
    assert.equal(errors.length, 1);
  });
});

describe('when a request holds the lock longer than lockTimeout', () => {
  it('answers the next one 503 after lockTimeout, and the holder’s write survives', async () => {
    const { client } = lab(increments, { lockTimeout: 0.2 });
    const holder = client();
    await holder.get('/start');
    const cookie = `${COOKIE}=${holder.jar.get(COOKIE)}`;
    const stuck = holder.get('/slow?ms=800');
    await sleep(50);
    const started = Date.now();
    const waiter = await client().get('/inc', { cookie });
    const waited = Date.now() - started;
    assert.equal(waiter.response.status, 503);
    assert.equal(waiter.response.headers.get('retry-after'), '5');
    assert.match(waiter.text, /held this session for more than 0\.2 s/);
    // The store answered: the page says the session is busy, not that the store is down.
    assert.match(waiter.text, /<h1>This session is busy<\/h1>/);
    assert.match(waiter.text, /The store is working/);
    assert.doesNotMatch(waiter.text, /not available/);
    assert.ok(waited >= 190 && waited < 700, `gave up after ${waited} ms`);
    assert.equal((await stuck).text, '1');
    assert.equal((await client().get('/inc', { cookie })).text, '2');
  });

  it('keeps the lock for the holder after a waiter gave up: a later request still waits its turn', async () => {
    const { client } = lab(increments, { lockTimeout: 0.2 });
    const holder = client();
    await holder.get('/start');
    const cookie = `${COOKIE}=${holder.jar.get(COOKIE)}`;
    const stuck = holder.get('/slow?ms=600');
    await sleep(20);
    assert.equal((await client().get('/inc', { cookie })).response.status, 503);
    // The first waiter has given up; the holder still runs. A newcomer must not slip in beside it.
    // It waits for the holder (~380 ms more) and gives up after 200 ms, like the first waiter.
    const late = await client().get('/inc', { cookie });
    assert.equal(late.response.status, 503, `the newcomer ran beside the holder and answered ${late.text}`);
    assert.equal((await stuck).text, '1');
    assert.equal((await client().get('/inc', { cookie })).text, '2');
  });
});
