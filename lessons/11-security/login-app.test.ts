import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defineConfig, type SessionConfig, type StorageType } from '../../sandbox/engine/config.ts';
import type { Engine } from '../../sandbox/engine/engine.ts';
import { hashId } from '../../sandbox/engine/ids.ts';
import { Inspector } from '../../sandbox/inspector/inspector.ts';
import { createStore } from '../../sandbox/stores/index.ts';
import { TestClient } from '../../sandbox/testing/client.ts';
import { MemoryCookies } from '../../sandbox/testing/cookies.ts';
import { COOKIE } from '../../sandbox/testing/engine.ts';
import { skipUnless } from '../../sandbox/testing/servers.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { type LoginOptions, loginApp } from './login-app.ts';
import { REMEMBER_COOKIE, VISITOR_COOKIE } from './login-cookies.ts';

const BASE = '/login/';
const dir = mkdtempSync(join(tmpdir(), 'login-app-'));
const engines: Engine[] = [];
after(async () => {
  for (const engine of engines) await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(config: Partial<SessionConfig> = {}, options: Partial<LoginOptions> = {}, base = BASE) {
  const full = defineConfig({ storageFileDir: join(dir, 'files'), databaseUrl: undefined, ...config });
  if (full.storageType === 'sqlite') full.databaseUrl = join(dir, 'sessions.sqlite');
  const inspector = new Inspector(full, await createStore(full), createTransport(full));
  const { engine } = inspector;
  engines.push(engine);
  const app = loginApp(options);
  const browser = () => new TestClient((request) => inspector.handle(request, app, base));
  return { engine, browser };
}

async function signIn(
  client: TestClient,
  user = 'alice',
  password = 'wonderland',
  extra: Record<string, string> = {},
) {
  return client.post(`${BASE}sign-in`, { username: user, password, ...extra });
}

async function inspect(client: TestClient) {
  const { text } = await client.get(`${BASE}_inspect`);
  return JSON.parse(text) as { id: string | null; data: Record<string, unknown> | null; storeKey?: string };
}

const signedInAs = (text: string) => /Signed in as <b>([a-z]+)<\/b>/.exec(text)?.[1];

describe('login: sign in and out', () => {
  it('signs in with a new id, keeping the data, and stores user and signedInAt', async () => {
    const { browser } = await setup();
    const client = browser();
    const first = await client.get(BASE);
    assert.match(first.text, /<code>alice<\/code>, password <code>wonderland<\/code>/);
    assert.ok(client.jar.values.has(VISITOR_COOKIE), 'the visitor cookie is set');
    // The first look started a session: sign-in replaces its id and keeps what it holds.
    const arrived = client.jar.get(COOKIE);
    assert.match(arrived ?? '', /^[A-Za-z0-9_-]{43}$/);
    const arrivedAt = (await inspect(client)).data?.arrivedAt;
    assert.equal(typeof arrivedAt, 'number');
    const before = Date.now();
    const sent = await signIn(client);
    assert.equal(sent.response.status, 303);
    assert.equal(sent.response.headers.get('location'), BASE);
    const id = client.jar.get(COOKIE);
    assert.match(id ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(id, arrived, 'a new id at sign-in');
    const seen = await inspect(client);
    assert.equal(seen.data?.user, 'alice');
    assert.equal(seen.data?.arrivedAt, arrivedAt, 'the data is kept');
    assert.ok(Number(seen.data?.signedInAt) >= before);
    assert.equal(signedInAs((await client.get(BASE)).text), 'alice');
    assert.match((await client.get(BASE)).text, /alice@example\.test/);
  });

  it('regenerates an existing session: new id, old record gone, data kept', async () => {
    const { browser, engine } = await setup();
    const client = browser();
    await signIn(client);
    const firstId = client.jar.get(COOKIE) ?? '';
    await signIn(client, 'bob', 'builder');
    const secondId = client.jar.get(COOKIE) ?? '';
    assert.notEqual(secondId, firstId);
    assert.equal(
      await engine.store.load(hashId(firstId), new MemoryCookies()),
      null,
      'the old record is gone',
    );
    const data = (await inspect(client)).data;
    assert.equal(data?.user, 'bob');
    assert.equal(typeof data?.visitor, 'string', 'what the session held beside the user is kept');
  });

  it('answers a wrong password or an unknown user with 401, saying neither which', async () => {
    const { browser } = await setup();
    const client = browser();
    const wrong = await signIn(client, 'alice', 'builder');
    const unknown = await signIn(client, 'mallory', 'wonderland');
    for (const sent of [wrong, unknown]) {
      assert.equal(sent.response.status, 401);
      assert.match(sent.text, /Wrong username or password\./);
      assert.match(sent.text, /<form method="post" action="\/login\/sign-in">/);
    }
    assert.equal(client.jar.get(COOKIE), undefined, 'a failed sign-in stores no session');
  });

  it('signs out: the record is destroyed and the cookie expired; no Clear-Site-Data inside /lab/-like bases', async () => {
    const { browser, engine } = await setup();
    const client = browser();
    await signIn(client);
    const id = client.jar.get(COOKIE) ?? '';
    const out = await client.post(`${BASE}sign-out`, {});
    assert.equal(out.response.status, 303);
    assert.ok(out.setCookie.some((line) => line.startsWith(`${COOKIE}=;`) && /Max-Age=0/.test(line)));
    assert.equal(out.response.headers.get('clear-site-data'), null);
    assert.equal(await engine.store.load(hashId(id), new MemoryCookies()), null);
    const landing = await client.get(out.response.headers.get('location') ?? '');
    assert.match(landing.text, /You are signed out/);
    assert.equal(client.jar.get(COOKIE), undefined, 'the page after sign-out starts no session');
    const replay = await browser().get(BASE, {
      cookie: `${COOKIE}=${id}; ${VISITOR_COOKIE}=${client.jar.get(VISITOR_COOKIE)}`,
    });
    assert.equal(signedInAs(replay.text), undefined, 'the old id signs in nobody');
  });

  it('sends Clear-Site-Data: "cookies" at sign-out when the app owns its origin (base /)', async () => {
    const { engine } = await setup();
    const app = loginApp();
    const client = new TestClient((request) => engine.handle(request, app, '/'));
    await client.post('/sign-in', { username: 'alice', password: 'wonderland' });
    const out = await client.post('/sign-out', {});
    assert.equal(out.response.headers.get('clear-site-data'), '"cookies"');
  });

  it('answers signed out with 401 on account and email, changing nothing', async () => {
    const { browser } = await setup();
    const client = browser();
    assert.equal((await client.get(`${BASE}account`)).response.status, 401);
    assert.equal((await client.post(`${BASE}email`, { email: 'evil@example.test' })).response.status, 401);
    await signIn(client);
    assert.match((await client.get(BASE)).text, /alice@example\.test/);
  });

  it('shows the email escaped, and the stored account with its scrypt hash', async () => {
    const { browser } = await setup();
    const client = browser();
    await signIn(client);
    const sent = await client.post(`${BASE}email`, { email: '<script>alert(1)</script>@x' });
    assert.equal(sent.response.headers.get('location'), `${BASE}account?notice=email`);
    for (const path of ['', 'account']) {
      const { text } = await client.get(`${BASE}${path}`);
      assert.ok(text.includes('&lt;script&gt;alert(1)&lt;/script&gt;@x'), path);
      assert.ok(!text.includes('<script>'), path);
    }
    const account = await client.get(`${BASE}account`);
    assert.match(account.text, /scrypt\$16384\$8\$5\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}/);
    assert.doesNotMatch(account.text, /wonderland/, 'never the password itself');
  });
});

const SERVER_STORES: { store: StorageType; skip: string | false }[] = [
  { store: 'ram', skip: false },
  { store: 'file', skip: false },
  { store: 'sqlite', skip: false },
  { store: 'postgres', skip: await skipUnless('postgres') },
  { store: 'mysql', skip: await skipUnless('mysql') },
  { store: 'redis', skip: await skipUnless('redis') },
];

/** Two sessions of alice in one visitor's two "browsers" (same lab_visitor, their own session cookies). */
async function twoSessions(browser: () => TestClient) {
  const one = browser();
  await one.get(BASE);
  const two = browser();
  two.jar.values.set(VISITOR_COOKIE, one.jar.get(VISITOR_COOKIE) ?? '');
  await signIn(one);
  await signIn(two);
  assert.equal(signedInAs((await one.get(BASE)).text), 'alice');
  assert.equal(signedInAs((await two.get(BASE)).text), 'alice');
  return { one, two };
}

for (const { store, skip } of SERVER_STORES) {
  describe(`login on the ${store} store`, { skip }, () => {
    it('sign out everywhere ends every session of the account and deletes their records', async () => {
      const { browser, engine } = await setup({ storageType: store });
      const { one, two } = await twoSessions(browser);
      const twoId = two.jar.get(COOKIE) ?? '';
      const account = await one.get(`${BASE}account`);
      assert.equal((account.text.match(/<tr><td><code>/g) ?? []).length, 2, 'both sessions are listed');
      assert.match(account.text, /\(this one\)/);
      const out = await one.post(`${BASE}sign-out-everywhere`, {});
      assert.equal(out.response.status, 303);
      assert.equal(
        await engine.store.load(hashId(twoId), new MemoryCookies()),
        null,
        'the other record is gone',
      );
      const after = await two.get(BASE);
      assert.equal(signedInAs(after.text), undefined);
      assert.equal(signedInAs((await one.get(BASE)).text), undefined);
    });

    it('a password change needs the current password, then ends every other session and token', async () => {
      const { browser } = await setup({ storageType: store });
      const { one, two } = await twoSessions(browser);
      const wrong = await one.post(`${BASE}password`, { current: 'builder', next: 'new-password-1' });
      assert.equal(wrong.response.status, 401);
      assert.equal(signedInAs((await two.get(BASE)).text), 'alice', 'nothing changed');
      const before = one.jar.get(COOKIE);
      const changed = await one.post(`${BASE}password`, { current: 'wonderland', next: 'new-password-1' });
      assert.equal(changed.response.status, 303);
      assert.notEqual(one.jar.get(COOKIE), before, 'this session has a new id');
      assert.equal(signedInAs((await one.get(BASE)).text), 'alice');
      assert.equal(signedInAs((await two.get(BASE)).text), undefined);
      const same = browser();
      same.jar.values.set(VISITOR_COOKIE, one.jar.get(VISITOR_COOKIE) ?? '');
      assert.equal(
        (await signIn(same, 'alice', 'wonderland')).response.status,
        401,
        'the old password is refused',
      );
      assert.equal((await signIn(same, 'alice', 'new-password-1')).response.status, 303);
    });
  });
}

describe('login on the cookie store', () => {
  it('cannot end the other sessions, and says why', async () => {
    const { browser } = await setup({ storageType: 'cookie', secrets: ['x'.repeat(32)] });
    const { one, two } = await twoSessions(browser);
    const account = await one.get(`${BASE}account`);
    assert.match(account.text, /the server cannot end the sessions listed here/);
    const out = await one.post(`${BASE}sign-out-everywhere`, {});
    const notice = await one.get(out.response.headers.get('location') ?? '');
    assert.match(notice.text, /Only this browser’s session ended/);
    assert.equal(signedInAs((await two.get(BASE)).text), 'alice', 'the other browser is still signed in');
  });
});

describe('login: remember me', () => {
  it('signs in again with the token once the session is gone, rotating it', async () => {
    const { browser } = await setup();
    const client = browser();
    await signIn(client, 'alice', 'wonderland', { remember: 'on' });
    const token = client.jar.get(REMEMBER_COOKIE) ?? '';
    assert.match(token, /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    client.jar.delete(COOKIE); // the browser closed: the session cookie is gone
    const back = await client.get(BASE);
    assert.equal(signedInAs(back.text), 'alice');
    const rotated = client.jar.get(REMEMBER_COOKIE) ?? '';
    assert.notEqual(rotated, token);
    assert.equal(rotated.split('.')[0], token.split('.')[0], 'the selector stays');
    const stored = (await client.get(`${BASE}account`)).text;
    assert.ok(!stored.includes(rotated.split('.')[1] ?? '-'), 'the validator is never stored');
  });

  it('ends every session and token of the account when a token is used twice', async () => {
    const { browser } = await setup();
    const victim = browser();
    await signIn(victim, 'alice', 'wonderland', { remember: 'on' });
    const stolen = victim.jar.get(REMEMBER_COOKIE) ?? '';
    const visitor = victim.jar.get(VISITOR_COOKIE) ?? '';
    // The thief uses the copy first: signed in, and the token rotates in the thief's browser.
    const thief = browser();
    await thief.get(BASE, { cookie: `${VISITOR_COOKIE}=${visitor}; ${REMEMBER_COOKIE}=${stolen}` });
    assert.ok(thief.jar.get(COOKIE));
    thief.jar.values.set(VISITOR_COOKIE, visitor);
    assert.equal(signedInAs((await thief.get(BASE)).text), 'alice');
    // The victim's browser later presents the old value: a known selector with a wrong validator.
    victim.jar.delete(COOKIE);
    const alarm = await victim.get(BASE);
    assert.match(alarm.text, /someone holds a copy of it/);
    assert.equal(signedInAs(alarm.text), undefined);
    assert.equal(signedInAs((await thief.get(BASE)).text), undefined, "the thief's session ended too");
    thief.jar.delete(COOKIE);
    assert.equal(signedInAs((await thief.get(BASE)).text), undefined, "the thief's rotated token is revoked");
  });

  it("revokes this browser's token at sign-out: a kept copy of the cookie signs nobody in", async () => {
    const { browser } = await setup();
    const client = browser();
    await signIn(client, 'alice', 'wonderland', { remember: 'on' });
    const token = client.jar.get(REMEMBER_COOKIE) ?? '';
    const visitor = client.jar.get(VISITOR_COOKIE) ?? '';
    await client.post(`${BASE}sign-out`, {});
    assert.equal(client.jar.get(REMEMBER_COOKIE), undefined, 'the cookie is expired');
    const copy = await browser().get(BASE, {
      cookie: `${VISITOR_COOKIE}=${visitor}; ${REMEMBER_COOKIE}=${token}`,
    });
    assert.equal(signedInAs(copy.text), undefined);
    assert.doesNotMatch(copy.text, /someone holds a copy/, 'an unknown token is no theft signal');
  });

  it('revokes a token from the account page', async () => {
    const { browser } = await setup();
    const client = browser();
    await signIn(client, 'alice', 'wonderland', { remember: 'on' });
    const selector = (client.jar.get(REMEMBER_COOKIE) ?? '').split('.')[0] ?? '';
    assert.match((await client.get(`${BASE}account`)).text, new RegExp(`value="${selector}"`));
    await client.post(`${BASE}remember/revoke`, { token: selector });
    assert.equal(client.jar.get(REMEMBER_COOKIE), undefined);
    client.jar.delete(COOKIE);
    assert.equal(signedInAs((await client.get(BASE)).text), undefined);
  });
});

describe('login: visitors and limits', () => {
  it("keeps visitor B away from visitor A's account and session", async () => {
    const { browser } = await setup();
    const a = browser();
    await signIn(a);
    await a.post(`${BASE}email`, { email: 'a-secret@example.test' });
    const b = browser();
    await signIn(b);
    assert.match((await b.get(BASE)).text, /alice@example\.test/, "B's alice is B's own");
    await b.post(`${BASE}email`, { email: 'b@example.test' });
    assert.match((await a.get(BASE)).text, /a-secret@example\.test/, "A's email is unchanged");
    // A's session id carried into B's browser: signed out there, and A is not touched.
    const carried = await b.get(BASE, {
      cookie: `${COOKIE}=${a.jar.get(COOKIE)}; ${VISITOR_COOKIE}=${b.jar.get(VISITOR_COOKIE)}`,
    });
    assert.equal(signedInAs(carried.text), undefined);
    assert.doesNotMatch(carried.text, /a-secret/);
    assert.equal(signedInAs((await a.get(BASE)).text), 'alice');
  });

  it('ends a sign-in at the absolute limit, however active the session', async () => {
    const { browser } = await setup({}, { signedInLimitMs: 300 });
    const client = browser();
    await signIn(client);
    assert.equal(signedInAs((await client.get(BASE)).text), 'alice');
    await new Promise((resolve) => setTimeout(resolve, 350));
    const later = await client.get(BASE);
    assert.equal(signedInAs(later.text), undefined);
    assert.match(later.text, /absolute limit/);
  });

  it('answers a wrong method with 405 and an unknown path with 404', async () => {
    const { browser } = await setup();
    const client = browser();
    const get = await client.get(`${BASE}sign-out`);
    assert.equal(get.response.status, 405);
    assert.equal(get.response.headers.get('allow'), 'POST');
    assert.equal((await client.get(`${BASE}nope`)).response.status, 404);
  });
});

describe('login with the keep-id-at-sign-in demo flaw', () => {
  it('keeps the id at sign-in (the fixation demo), and regenerates without it', async () => {
    for (const [flaws, kept] of [
      [['keep-id-at-sign-in'], true],
      [[], false],
    ] as const) {
      const { browser } = await setup({ unsafeDemoFlaws: [...flaws] });
      const client = browser();
      await signIn(client);
      const before = client.jar.get(COOKIE);
      await signIn(client, 'bob', 'builder');
      assert.equal(client.jar.get(COOKIE) === before, kept, `flaws: ${flaws.join(',') || 'none'}`);
      assert.equal(signedInAs((await client.get(BASE)).text), 'bob');
    }
  });
});

describe('login: the index of sessions', () => {
  it('holds at most eight sessions per account: a ninth sign-in ends the oldest', async () => {
    const { browser } = await setup();
    const first = browser();
    await first.get(BASE);
    const visitor = first.jar.get(VISITOR_COOKIE) ?? '';
    await signIn(first);
    const others: TestClient[] = [];
    for (let i = 0; i < 8; i++) {
      const other = browser();
      other.jar.values.set(VISITOR_COOKIE, visitor);
      await signIn(other);
      others.push(other);
    }
    assert.equal(signedInAs((await first.get(BASE)).text), undefined, 'the oldest was ended');
    const last = others.at(-1) as TestClient;
    const account = await last.get(`${BASE}account`);
    assert.equal((account.text.match(/<tr><td><code>/g) ?? []).length, 8);
  });

  it('drops sessions that expired by themselves from the list', async () => {
    const { browser } = await setup({ timeout: 0.05 }); // 3 s idle
    const { one, two } = await twoSessions(browser);
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    await signIn(one); // one is new again (its session expired); two stays idle and expires
    const account = await one.get(`${BASE}account`);
    assert.equal((account.text.match(/<tr><td><code>/g) ?? []).length, 1, 'only the live session');
    assert.equal(signedInAs((await two.get(BASE)).text), undefined);
  });
});

describe('login: its own cookies', () => {
  it('are HttpOnly, SameSite=Lax, on the app path, and Secure behind a TLS proxy', async () => {
    const { browser } = await setup();
    const client = browser();
    const sent = await client.post(
      `${BASE}sign-in`,
      { username: 'alice', password: 'wonderland', remember: 'on' },
      { 'x-forwarded-proto': 'https' },
    );
    for (const name of [VISITOR_COOKIE, REMEMBER_COOKIE]) {
      const line = sent.setCookie.find((each) => each.startsWith(`${name}=`)) ?? '';
      assert.match(line, /; Path=\/login\/;/, name);
      assert.match(line, /; HttpOnly; Secure; SameSite=Lax$/, name);
    }
  });
});

describe('login: what the inspector shows', () => {
  it('masks the remember-me token and the visitor cookie as it masks the session id', async () => {
    const { browser } = await setup();
    const client = browser();
    await signIn(client, 'alice', 'wonderland', { remember: 'on' });
    const token = client.jar.get(REMEMBER_COOKIE) ?? '';
    const visitor = client.jar.get(VISITOR_COOKIE) ?? '';
    const { text } = await client.get(`${BASE}_inspect`);
    assert.ok(token.length > 40 && visitor.length === 43);
    assert.ok(!text.includes(token) && !text.includes(token.split('.')[1] ?? '-'), 'no whole token');
    assert.ok(!text.includes(visitor), 'no whole visitor value');
    assert.ok(text.includes(`${token.slice(0, 6)}…`), 'a masked token');
  });
});
