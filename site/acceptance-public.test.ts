// Public mode (PUBLIC=1) through the site's routes: the rate limit, the refused process controls, the
// bytes-per-session cap and the sessions cap of RAM demos and of the shared stores (the site's sweeper).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_ROWS } from '../lessons/08-your-own-storage/scratch.ts';
import { GADGET_PAYLOAD, SQL_PAYLOAD } from '../lessons/08-your-own-storage/seed-flaws.ts';
import type { StorageType } from '../sandbox/engine/config.ts';
import { browser, countOf, inspect, isolate, serve, sleep } from './acceptance-harness.ts';
import { createLab, PUBLIC_LIMITS } from './lab-server.ts';
import type { SweptStore } from './lib/lab/demo-sweeper.ts';
import { DemoManager } from './lib/lab/manager.ts';
import { createLabRouter } from './lib/lab/router.ts';

const env = await isolate();
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
  await env.cleanup();
});

const publicLab = createLab({
  PUBLIC: '1',
  SESSION_LAB_SECRET: 's'.repeat(40),
  SESSION_LAB_RATE_LIMIT: '30',
  SESSION_LAB_TRUST_PROXY: '1',
});
const publicSite = await serve(publicLab.router);
closers.push(async () => {
  publicSite.server.close();
  await publicLab.manager.stopAll();
});

// Built as createLab builds a public site, with small numbers: no demo app can write 4 KB of session,
// and 10 000 sessions per store would take a while to create.
const cap = 5;
const lowered = new DemoManager({
  maxRunning: 16,
  idleMinutes: 15,
  extraConfig: { maxSessionBytes: '300', maxSessions: String(cap) },
  maxSessionsPerStore: cap,
});
const loweredSite = await serve(createLabRouter({ manager: lowered, controls: false, publicMode: true }));
closers.push(async () => {
  loweredSite.server.close();
  await lowered.stopAll();
});

describe('a public site as createLab builds it (PUBLIC=1)', () => {
  const { origin } = publicSite;
  // Each test is its own visitor address behind the (trusted) proxy, so each has its own request budget.
  const from = (address: string) => browser(origin, { 'x-forwarded-for': address });

  it('gives RAM demos the public cap on sessions', async () => {
    const reader = from('10.0.0.1');
    await reader.get('/lab/counter/ram/std/');
    const { stored } = await inspect(reader, '/lab/counter/ram/std/');
    assert.match(
      stored?.location ?? '',
      new RegExp(`of at most ${PUBLIC_LIMITS.maxSessionsPerDemo} sessions`),
    );
  });

  for (const store of ['file', 'postgres'] as const) {
    it(`tells where a ${store} session lives without path, database URL or user`, {
      skip: store === 'postgres' ? env.skip.postgres : false,
    }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const reader = from('10.0.0.5');
      await reader.get(base);
      const { text } = await reader.get(`${base}_inspect`);
      const { stored, storeKey } = JSON.parse(text) as { stored: { location: string }; storeKey: string };
      const place =
        store === 'file'
          ? `file ${storeKey}.json in the session folder (storageFileDir)`
          : 'table session_data (PostgreSQL)';
      assert.equal(stored.location, place);
      for (const secret of [env.scratch, tmpdir(), '.data/', 'postgres://', 'postgres@'])
        assert.ok(!text.includes(secret), `the public inspector names ${secret}: ${text}`);
    });
  }

  it('answers a visitor past the limit with 429 and Retry-After; the demo never sees those requests', async () => {
    const base = '/lab/counter/ram/std/';
    const reader = from('10.0.0.2');
    for (let i = 1; i <= 30; i++) assert.equal(countOf((await reader.get(base)).text), i);
    const refused = await reader.get(base);
    assert.equal(refused.response.status, 429);
    assert.match(refused.response.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.match(refused.text, /role="alert"[\s\S]*30 demo requests a minute/);
    // Another visitor still gets through, and sees (with the first one's cookie) that 30 clicks counted.
    const cookie = `session_lab_id=${reader.jar.get('session_lab_id')}`;
    assert.equal((await inspect(from('10.0.0.3'), base, cookie)).data?.pageViews, 30);
  });

  it('refuses process controls with 403 and leaves the worker running', async () => {
    const visitor = from('10.0.0.4');
    const base = '/lab/counter/file/std/';
    await visitor.get(base);
    const pids = async () =>
      (await (await fetch(`${origin}/lab-api/status?variant=counter/file/std`)).json()).workers.map(
        (w: { pid: number }) => w.pid,
      );
    const before = await pids();
    for (const action of ['kill', 'restart']) {
      const control = await fetch(`${origin}/lab-api/control`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.4' },
        body: JSON.stringify({ variant: 'counter/file/std', action }),
      });
      assert.equal(control.status, 403);
      assert.match((await control.json()).message, /controls are off/);
    }
    assert.deepEqual(await pids(), before);
    assert.equal(countOf((await visitor.get(base)).text), 2);
  });
  it('serves only the variants its pages offer: any other variant path is a 404 and starts nothing', async () => {
    const visitor = from('10.0.0.6');
    // A real variant (the router accepts it locally), which no chapter or demo page shows.
    const unoffered = '/lab/slow-counter/mysql/url.always.t15s.nolock/';
    const refused = await visitor.get(unoffered);
    assert.equal(refused.response.status, 404);
    assert.match(refused.text, /runs only the demos its chapters and demo pages show/);
    const status = await (
      await fetch(`${origin}/lab-api/status?variant=slow-counter/mysql/url.always.t15s.nolock`)
    ).json();
    assert.deepEqual(status.workers, [], 'nothing was started for it');
    // A backend the counter's switch offers is served.
    assert.equal(countOf((await visitor.get('/lab/counter/sqlite/std/')).text), 1);
  });

  it("chapter 8's seed flaws: one visitor's injection and wipe never reach another's scratch database", async () => {
    const base = '/lab/seed-flaws/ram/std/';
    const attacker = from('10.0.0.7');
    const victim = from('10.0.0.8');
    const hashOf = (page: string) => /<td>admin<\/td><td><code>([^<]+)<\/code>/.exec(page)?.[1] ?? '';
    const victimHash = hashOf((await victim.post(`${base}sql`, { value: 'mine' })).text);
    assert.match(victimHash, /^scrypt\$/);
    const injected = await attacker.post(`${base}sql`, { value: SQL_PAYLOAD });
    const attackerHash = hashOf(injected.text);
    assert.match(
      injected.text,
      new RegExp(`<output id="seed-note">x${attackerHash.replaceAll('$', '\\$')}</output>`),
    );
    assert.notEqual(attackerHash, victimHash);
    assert.ok(!injected.text.includes(victimHash), "the injection reads the attacker's own scratch only");
    const wiped = await attacker.post(`${base}pickle`, { stored: GADGET_PAYLOAD });
    assert.match(wiped.text, /<output id="seed-rows-after">0<\/output>/);
    // Even the attacker's page asked with the victim's scratch key in the URL or a cookie is the attacker's.
    const guessed = await attacker.get(`${base}?scratch=${encodeURIComponent(victimHash)}`, {
      cookie: 'scratch=x',
    });
    assert.ok(!guessed.text.includes(victimHash));
    const after = await victim.get(base);
    assert.match(after.text, /session_data<\/code>: 3 row\(s\)/, "the victim's rows are all there");
    assert.equal(hashOf(after.text), victimHash);
    assert.match(after.text, /&quot;note&quot;:&quot;mine&quot;/);
  });

  it("chapter 8's seed flaws: a value that adds rows past the bound resets the visitor's scratch database", async () => {
    const base = '/lab/seed-flaws/ram/std/';
    const visitor = from('10.0.0.9');
    const rows = Array.from({ length: MAX_ROWS }, (_, i) => `('r${i}','x')`).join(',');
    const page = await visitor.post(`${base}sql`, { value: `a'), ${rows} --` });
    assert.match(page.text, /passed its bound/);
    assert.match(page.text, /session_data<\/code>: 3 row\(s\)/);
  });
});

describe('public caps lowered so a test can reach them', () => {
  const { origin } = loweredSite;
  const visitor = () => browser(origin);

  it('a session past maxSessionBytes: a clear 413 page, and the session keeps what it had', async () => {
    const base = '/lab/name-form/file/std/';
    const reader = visitor();
    await reader.post(`${base}save`, { firstName: 'Ada', lastName: 'Lovelace' });
    // 100 quotes a field: within the form's 100 characters, about 400 bytes of JSON once escaped.
    const tooBig = await reader.post(`${base}save`, {
      firstName: '"'.repeat(100),
      lastName: '"'.repeat(100),
    });
    assert.equal(tooBig.response.status, 413);
    assert.match(tooBig.text, /role="alert"[\s\S]*The session is too large[\s\S]*Nothing was saved/);
    assert.match((await reader.get(`${base}page2`)).text, /Hello Ada Lovelace/);
  });

  /** `count` visitors, a few ms apart so their deadlines differ, each having clicked once. */
  const visitorsOn = async (base: string, count: number) => {
    const all = [];
    for (let i = 0; i < count; i++) {
      const client = visitor();
      await client.get(base);
      all.push(client);
      await sleep(3);
    }
    return all;
  };
  const countIn = (page: string) => countOf(page) || Number(/<output id="counter">(\d+)</.exec(page)?.[1]);

  it(`a RAM demo keeps ${cap} sessions; while all are in use, a new visitor gets a 503 with Retry-After`, async () => {
    const base = '/lab/counter/ram/std/';
    const clients = await visitorsOn(base, cap);
    const late = await visitor().get(base);
    assert.equal(late.response.status, 503);
    assert.match(late.response.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.match(late.text, /no room for a new one/);
    // Nobody in use was pushed out to make room.
    for (const client of clients) assert.equal(countOf((await client.get(base)).text), 2);
  });

  const shared: { store: SweptStore; skip: string | false }[] = [
    { store: 'file', skip: false },
    { store: 'sqlite', skip: false },
    { store: 'postgres', skip: env.skip.postgres },
    { store: 'mysql', skip: env.skip.mysql },
    { store: 'redis', skip: env.skip.redis },
    { store: 'custom', skip: false },
  ];
  it(`the site's sweeper trims every shared store to ${cap} sessions, those closest to expiry first`, async () => {
    const stores = shared.filter(({ skip }) => !skip).map(({ store }) => store);
    const baseOf = (store: StorageType) =>
      `/lab/${store === 'custom' ? 'db-store' : 'counter'}/${store}/std/`;
    const clients = new Map<SweptStore, ReturnType<typeof visitor>[]>();
    for (const store of stores) clients.set(store, await visitorsOn(baseOf(store), cap + 3));
    const results = await lowered.sweepStores();
    for (const store of stores) {
      const result = results.find((r) => r.store === store);
      assert.ok(result && result.trimmed >= 3, `${store}: ${JSON.stringify(result)}`);
    }
    const files = readdirSync(join(env.scratch, '.data', 'sessions')).filter((name) =>
      name.endsWith('.json'),
    );
    assert.ok(files.length <= cap, `${files.length} session files left`);
    for (const store of stores) {
      const all = clients.get(store) ?? [];
      for (const client of all.slice(3))
        assert.equal(countIn((await client.get(baseOf(store))).text), 2, `${store}: a recent session kept`);
      for (const client of all.slice(0, 3))
        assert.equal(countIn((await client.get(baseOf(store))).text), 1, `${store}: an old session trimmed`);
    }
  });
});
