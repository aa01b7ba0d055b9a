// The engine's acceptance cases (issue 2 §4) again, through the site's demo routes: the lab router on a
// real socket, real demo processes, real stores, in a scratch directory and databases of this run's own
// (acceptance-harness.ts). Public-mode caps and the sweeper's cap are in acceptance-public.test.ts.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { customStorePath, sessionFunctions } from '../lessons/08-your-own-storage/session-functions.ts';
import { parseConfig, type StorageType } from '../sandbox/engine/config.ts';
import { createStore } from '../sandbox/stores/index.ts';
import { browser, COOKIE, countOf, inspect, isolate, rawGet, serve, sleep } from './acceptance-harness.ts';
import { createLab } from './lab-server.ts';
import { DemoManager } from './lib/lab/manager.ts';
import { defaultVariant, parseLabPath, variantConfig } from './lib/lab/variant.ts';

const env = await isolate({ relays: true });
const lab = createLab({});
const { origin, server } = await serve(lab.router);
after(async () => {
  server.close();
  await lab.manager.stopAll();
  await env.cleanup();
});
const visitor = () => browser(origin);
/** The Cookie header a client holds now, to replay later as an attacker (or a stale tab) would. */
const cookieOf = (client: ReturnType<typeof visitor>) => client.jar.header();

const STORES = [
  { store: 'ram', serverSide: true, skip: false },
  { store: 'file', serverSide: true, skip: false },
  { store: 'cookie', serverSide: false, skip: false },
  { store: 'sqlite', serverSide: true, skip: false },
  { store: 'postgres', serverSide: true, skip: env.skip.postgres },
  { store: 'mysql', serverSide: true, skip: env.skip.mysql },
  { store: 'redis', serverSide: true, skip: env.skip.redis },
] as const;
const only = (...names: StorageType[]) => STORES.filter(({ store }) => names.includes(store));

describe('the counter demo on every store', () => {
  for (const { store, skip } of STORES) {
    it(`counts 1 → 2 → 3 on ${store}, and a second visitor starts at 1`, { skip }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const reader = visitor();
      for (const expected of [1, 2, 3]) {
        const { response, text } = await reader.get(base);
        assert.equal(response.status, 200);
        assert.equal(countOf(text), expected);
      }
      assert.equal(countOf((await visitor().get(base)).text), 1);
      assert.deepEqual((await inspect(reader, base)).data, { pageViews: 3 });
    });
  }
});

describe("the inspector's regenerate, expire and forget, and the name form's destroy", () => {
  for (const { store, serverSide, skip } of STORES) {
    it(`${store}: regenerate keeps the data under a new id and retires the old id`, { skip }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const reader = visitor();
      await reader.get(base);
      await reader.get(base);
      const before = await inspect(reader, base);
      const oldCookie = cookieOf(reader);
      assert.equal((await reader.post(`${base}_lab/regenerate`, {})).response.status, 204);
      const after = await inspect(reader, base);
      assert.deepEqual(after.data, { pageViews: 2 });
      assert.notEqual(after.storeKey, before.storeKey);
      // A cookie store cannot revoke a cookie it signed; server-side stores delete the old record.
      if (serverSide) assert.equal(countOf((await visitor().get(base, { cookie: oldCookie })).text), 1);
      assert.equal(countOf((await reader.get(base)).text), 3);
    });

    it(`${store}: "Forget me" (session.destroy) removes the session`, { skip }, async () => {
      const base = `/lab/name-form/${store}/std/`;
      const reader = visitor();
      await reader.post(`${base}save`, { firstName: 'Ada', lastName: 'Lovelace' });
      assert.match((await reader.get(`${base}page2`)).text, /Hello Ada Lovelace/);
      const oldCookie = cookieOf(reader);
      assert.equal((await reader.post(`${base}forget`, {})).response.status, 303);
      assert.equal(reader.jar.values.has(COOKIE), false, 'the browser was told to drop its cookie');
      assert.match((await reader.get(`${base}page2`)).text, /I don't know your name/);
      if (serverSide) {
        const replayed = await inspect(visitor(), base, oldCookie);
        assert.equal(replayed.stored, null, 'the record is gone from the store');
        assert.match(
          (await visitor().get(`${base}page2`, { cookie: oldCookie })).text,
          /I don't know your name/,
        );
      }
    });

    it(`${store}: expire ends the session now; forget drops only the browser's cookie`, {
      skip,
    }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const expiring = visitor();
      await expiring.get(base);
      await expiring.get(base);
      assert.equal((await expiring.post(`${base}_lab/expire`, {})).response.status, 204);
      assert.equal(countOf((await expiring.get(base)).text), 1);

      const forgetting = visitor();
      await forgetting.get(base);
      await forgetting.get(base);
      const oldCookie = cookieOf(forgetting);
      assert.equal((await forgetting.post(`${base}_lab/forget`, {})).response.status, 204);
      assert.equal(forgetting.jar.values.has(COOKIE), false);
      assert.equal(countOf((await forgetting.get(base)).text), 1);
      // What the inspector's button teaches: the record is left behind for the sweeper.
      if (serverSide) assert.equal(countOf((await visitor().get(base, { cookie: oldCookie })).text), 3);
    });
  }
});

/** A store as the demos of one kind open it, read from this test process. */
async function storeOf(kind: StorageType) {
  const app = kind === 'custom' ? 'db-store' : 'counter';
  const config = parseConfig(variantConfig(defaultVariant(app, kind)), `acceptance ${kind}`);
  if (kind === 'custom') {
    const functions = sessionFunctions(customStorePath(config));
    return {
      has: async (key: string) => functions.loadSessionData(key) !== null,
      close: async () => functions.close(),
    };
  }
  const store = await createStore(config);
  const cookies = { secure: false, get: () => undefined, set() {}, delete() {} };
  return {
    has: async (key: string) => (await store.load(key, cookies)) !== null,
    close: async () => store.close?.(),
  };
}

describe('expiry after 15 idle seconds (t15s), and the site sweeping demos that are not running', () => {
  const kinds = [...STORES.filter(({ skip }) => !skip).map(({ store }) => store), 'custom' as const];
  /** Stores whose records outlive their process and are not dropped by a TTL: the site must sweep them. */
  const swept: StorageType[] = ['file', 'sqlite', 'postgres', 'mysql', 'custom'];
  const visitors = new Map<StorageType, { base: string; reader: ReturnType<typeof visitor>; key: string }>();
  const kept = new Map<StorageType, string>();
  const countIn = (kind: StorageType, page: string) =>
    kind === 'custom' ? Number(/<output id="counter">(\d+)<\/output>/.exec(page)?.[1]) : countOf(page);

  it('sets up: two visits on each t15s demo, the demos of swept stores stopped, 15 s of waiting', async () => {
    let lastDeadline = 0;
    for (const kind of kinds) {
      const app = kind === 'custom' ? 'db-store' : 'counter';
      const base = `/lab/${app}/${kind}/t15s/`;
      const reader = visitor();
      await reader.get(base);
      assert.equal(countIn(kind, (await reader.get(base)).text), 2);
      const seen = await inspect(reader, base);
      assert.ok(seen.expiresAt && seen.expiresAt - Date.now() <= 15_000, 'a 15 s idle deadline');
      lastDeadline = Math.max(lastDeadline, seen.expiresAt);
      visitors.set(kind, { base, reader, key: seen.storeKey ?? '' });
      if (swept.includes(kind)) {
        // A live session on the same store, which no sweep may touch.
        const other = visitor();
        const std = `/lab/${app}/${kind}/std/`;
        await other.get(std);
        kept.set(kind, (await inspect(other, std)).storeKey ?? '');
        // Stopped like an idle demo: its own sweeper stops with it.
        const parsed = parseLabPath(base);
        if (parsed) await lab.manager.stop(parsed.variant);
      }
    }
    await sleep(lastDeadline - Date.now() + 300);
  });

  it("removes expired records of stopped demos on the site's schedule, and only those", async () => {
    const stores = new Map(
      await Promise.all(
        swept.filter((k) => kinds.includes(k)).map(async (k) => [k, await storeOf(k)] as const),
      ),
    );
    try {
      for (const [kind, store] of stores)
        assert.ok(await store.has(visitors.get(kind)?.key ?? ''), `${kind}: expired record still stored`);
      // A second manager, as the site builds it, with a sweep every 0.6 s instead of every 5 minutes.
      const sweeper = new DemoManager({ maxRunning: 1, idleMinutes: 15, sweepMinutes: 0.01 });
      try {
        for (let waited = 0; waited < 10_000; waited += 200) {
          const left = await Promise.all(
            [...stores].map(([kind, store]) => store.has(visitors.get(kind)?.key ?? '')),
          );
          if (!left.includes(true)) break;
          await sleep(200);
        }
      } finally {
        await sweeper.stopAll();
      }
      for (const [kind, store] of stores) {
        assert.equal(await store.has(visitors.get(kind)?.key ?? ''), false, `${kind}: expired record swept`);
        assert.ok(await store.has(kept.get(kind) ?? ''), `${kind}: live record kept`);
      }
    } finally {
      for (const store of stores.values()) await store.close();
    }
  });

  it('serves no expired session on any store: each visitor starts again at 1', async () => {
    for (const [kind, { base, reader }] of visitors)
      assert.equal(countIn(kind, (await reader.get(base)).text), 1, kind);
  });
});

describe('hostile cookies get a fresh session or a 4xx, never a 5xx', () => {
  const cases: [string, string][] = [
    ['a well-formed id the server never issued', `${COOKIE}=${'A'.repeat(43)}`],
    ['a path', `${COOKIE}=../../../etc/passwd`],
    ['an encoded path', `${COOKIE}=..%2F..%2Fetc%2Fpasswd`],
    ['10 KB of id', `${COOKIE}=${'x'.repeat(10_240)}`],
    ['duplicated names, junk first', `${COOKIE}=junk; ${COOKIE}=${'B'.repeat(43)}`],
    ['SQL', `${COOKIE}=' OR 1=1 --`],
  ];
  for (const { store } of only('file', 'sqlite')) {
    const base = `/lab/counter/${store}/std/`;
    for (const [what, cookie] of cases) {
      it(`${store}: ${what}`, async () => {
        const { response, text } = await visitor().get(base, { cookie });
        assert.ok(response.status < 500, `HTTP ${response.status}`);
        if (response.status === 200) assert.equal(countOf(text), 1);
      });
    }

    it(`${store}: a truncated cookie of a real session starts afresh`, async () => {
      const reader = visitor();
      await reader.get(base);
      const id = reader.jar.get(COOKIE) ?? '';
      const { text } = await visitor().get(base, { cookie: `${COOKIE}=${id.slice(0, -1)}` });
      assert.equal(countOf(text), 1);
    });

    it(`${store}: NUL and non-Latin-1 bytes in the cookie`, async () => {
      for (const bytes of [
        Buffer.from(`${COOKIE}=abc\0def`, 'latin1'),
        Buffer.from(`${COOKIE}=ünïcødé-${'é'.repeat(30)}`, 'utf8'),
      ]) {
        const { status, body } = await rawGet(origin, base, bytes);
        assert.ok(status > 0 && status < 500, `HTTP ${status}`);
        if (status === 200) assert.equal(countOf(body), 1);
      }
    });
  }

  it('a Cookie header over 16 KB is refused with 431', async () => {
    const { status } = await rawGet(
      origin,
      '/lab/counter/file/std/',
      Buffer.from(`${COOKIE}=${'y'.repeat(20_000)}`),
    );
    assert.equal(status, 431);
  });

  it('left nothing but session records, and only in the store directories', () => {
    const data = join(env.scratch, '.data');
    assert.deepEqual(readdirSync(env.scratch), ['.data']);
    for (const name of readdirSync(data))
      assert.match(
        name,
        /^(sessions|cookie-secret|sessions\.sqlite(-wal|-shm)?|custom-store\.sqlite(-wal|-shm)?)$/,
      );
    for (const name of readdirSync(join(data, 'sessions'))) {
      if (name === '.locks') continue; // the file store's lock files, checked below
      assert.match(name, /^\.?[A-Za-z0-9_-]{43}(\.json|\.[^/]*\.tmp)$/);
    }
    for (const name of readdirSync(join(data, 'sessions', '.locks')))
      assert.match(name, /^\.?[A-Za-z0-9_-]{43}\.lock(\.[^/]*\.tmp)?$/);
  });
});

describe('the cookie store demo', () => {
  const base = '/lab/counter/cookie/std/';
  it('refuses a data cookie with one character changed, and starts a fresh session', async () => {
    const reader = visitor();
    await reader.get(base);
    await reader.get(base);
    const data = reader.jar.get(`${COOKIE}_data`) ?? '';
    assert.ok(data.length > 20);
    const flipped = `${data.slice(0, 30)}${data[30] === 'A' ? 'B' : 'A'}${data.slice(31)}`;
    const cookie = `${COOKIE}=${reader.jar.get(COOKIE)}; ${COOKIE}_data=${flipped}`;
    const { response, text } = await visitor().get(base, { cookie });
    assert.equal(response.status, 200);
    assert.equal(countOf(text), 1);
  });

  it("the inspector's tamper button does the same", async () => {
    const reader = visitor();
    await reader.get(base);
    await reader.get(base);
    const before = reader.jar.get(`${COOKIE}_data`);
    assert.equal((await reader.post(`${base}_lab/tamper`, {})).response.status, 204);
    assert.notEqual(reader.jar.get(`${COOKIE}_data`), before);
    assert.equal(countOf((await reader.get(base)).text), 1);
  });
});

describe('the name form with markup and SQL as a name: stored exactly, shown escaped', () => {
  const firstName = `<script>alert(1)</script>`;
  const lastName = `Robert'); DROP TABLE session_data;--`;
  for (const { store, skip } of only('file', 'sqlite', 'postgres', 'mysql', 'redis')) {
    it(store, { skip }, async () => {
      const base = `/lab/name-form/${store}/std/`;
      const reader = visitor();
      assert.equal((await reader.post(`${base}save`, { firstName, lastName })).response.status, 303);
      const page3 = (await reader.get(`${base}page3`)).text;
      assert.ok(page3.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.ok(page3.includes('Robert&#39;); DROP TABLE session_data;--'));
      assert.ok(!page3.includes('<script>alert(1)'));
      const { data } = await inspect(reader, base);
      assert.equal(data?.firstName, firstName);
      assert.equal(data?.lastName, lastName);
      // The table is still there: the next visitor's session is stored as usual.
      assert.equal(countOf((await visitor().get(`/lab/counter/${store}/std/`)).text), 1);
    });
  }
});

describe('five tabs of one visitor sharing a cookie, 30 clicks each at once', () => {
  /** 5 clients × 30 parallel requests with the same cookie; returns every count they were shown. */
  const clickAll = async (base: string, cookie: string) =>
    (
      await Promise.all(
        Array.from({ length: 5 }, () => {
          const tab = visitor();
          return Promise.all(
            Array.from({ length: 30 }, async () => countOf((await tab.get(base, { cookie })).text)),
          );
        }),
      )
    ).flat();

  for (const { store, skip } of STORES.filter(({ serverSide }) => serverSide)) {
    it(`end at exactly 1 + 150 on ${store} with locking on`, { skip }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const reader = visitor();
      await reader.get(base);
      const shown = await clickAll(base, cookieOf(reader));
      assert.equal((await inspect(reader, base)).data?.pageViews, 151);
      assert.deepEqual(
        shown.sort((a, b) => a - b),
        Array.from({ length: 150 }, (_, i) => i + 2),
        'every click saw its own count',
      );
    });
  }

  it('lose updates on the cookie store, which has no server-side record to lock', async () => {
    const base = '/lab/counter/cookie/std/';
    const reader = visitor();
    await reader.get(base);
    // Every request carries the same signed count, so every one of them counts from it: 150 clicks, 1 kept.
    const shown = await clickAll(base, cookieOf(reader));
    assert.deepEqual(new Set(shown), new Set([2]));
  });

  it('lose updates on the slow counter with locking off (nolock)', async () => {
    const base = '/lab/slow-counter/file/nolock/';
    const reader = visitor();
    await reader.get(base);
    await clickAll(base, cookieOf(reader));
    const counted = Number((await inspect(reader, base)).data?.pageViews);
    assert.ok(counted < 151, `expected lost updates, counted ${counted} of 151`);
  });
});

describe('a demo worker killed with kill -9 through /lab-api/control', () => {
  for (const { store, skip } of only('file', 'sqlite', 'postgres')) {
    it(`keeps every acknowledged increment on ${store}, and answers again`, { skip }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const reader = visitor();
      for (let i = 1; i <= 5; i++) assert.equal(countOf((await reader.get(base)).text), i);
      const control = await fetch(`${origin}/lab-api/control`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ variant: `counter/${store}/std`, action: 'kill' }),
      });
      assert.equal(control.status, 200);
      let text = '';
      for (let waited = 0; waited < 15_000 && !text; waited += 100) {
        const answer = await reader.get(base);
        if (answer.response.status === 200) text = answer.text;
        else {
          assert.equal(answer.response.status, 502);
          assert.match(answer.text, /role="alert"/);
          await sleep(100);
        }
      }
      assert.equal(countOf(text), 6);
    });
  }
});

describe('a store server that stops: a clear 503 page, then the same session once it is back', () => {
  for (const kind of ['postgres', 'redis'] as const) {
    it(kind, { skip: env.skip[kind] }, async () => {
      const relay = env.relays[kind];
      assert.ok(relay);
      const base = `/lab/counter/${kind}/std/`;
      const reader = visitor();
      assert.equal(countOf((await reader.get(base)).text), 1);
      relay.down();
      try {
        const { response, text } = await reader.get(base);
        assert.equal(response.status, 503);
        assert.match(text, /role="alert"[\s\S]*The session store is not available/);
        assert.match(response.headers.get('retry-after') ?? '', /^\d+$/);
      } finally {
        relay.up();
      }
      let count = Number.NaN;
      for (let waited = 0; waited < 10_000 && Number.isNaN(count); waited += 200) {
        const { response, text } = await reader.get(base);
        if (response.status === 200) count = countOf(text);
        else await sleep(200);
      }
      assert.equal(count, 2);
    });
  }
});
