import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError } from '../engine/config.ts';
import type { App } from '../engine/engine.ts';
import { SessionTooLargeError } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import type { SessionRecord, Store } from '../engine/types.ts';
import { MemoryCookies } from '../testing/cookies.ts';
import { COOKIE, lab } from '../testing/engine.ts';
import { testStore } from '../testing/store-contract.ts';
import { cookieStore } from './cookie.ts';

const OLD = 'old-secret-old-secret-old-secret-0';
const NEW = 'new-secret-new-secret-new-secret-1';
const options = { cookieName: 'sl_data', path: '/', sameSite: 'lax' } as const;
const make = (secrets: string[]) => cookieStore({ ...options, secrets });
const key = () => hashId(generateId());
const record = (data: SessionRecord['data'] = { n: 1 }): SessionRecord => ({
  data,
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
});

/**
 * The contract saves several sessions through one jar; a browser holds one session per cookie name.
 * So each key gets its own jar (its own browser), which round-trips whatever the store sets.
 */
function onePerBrowser(store: Store): Store {
  const jars = new Map<string, MemoryCookies>();
  const jar = (k: string) => jars.get(k) ?? (jars.set(k, new MemoryCookies()).get(k) as MemoryCookies);
  return {
    name: store.name,
    load: (k) => store.load(k, jar(k)),
    save: (k, r) => store.save(k, r, jar(k)),
    destroy: async (k) => store.destroy?.(k, jar(k)),
    inspect: async (k) => (await store.inspect?.(k, jar(k))) ?? null,
  };
}

testStore('cookie', async () => onePerBrowser(make([NEW])));

describe('cookie store regressions', () => {
  it('refuses to start without a secret of 32 characters', () => {
    assert.throws(() => make([]), ConfigError);
    assert.throws(() => make(['short']), /at least 32 characters/);
  });

  it('sets an HttpOnly, SameSite, Path cookie that lives as long as the record, and hides the data', async () => {
    const jar = new MemoryCookies();
    const saved = record({ marker: 'plain-text-marker' });
    await make([NEW]).save(key(), saved, jar);
    const cookie = jar.written.at(-1);
    assert.equal(cookie?.name, 'sl_data');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Lax');
    assert.equal(cookie?.path, '/');
    assert.ok(Math.abs((cookie?.maxAgeSeconds ?? 0) - 60) <= 1);
    const [version, iv, sealed, mac] = (cookie?.value ?? '').split('.');
    assert.equal(version, 'v1');
    assert.equal(Buffer.from(iv ?? '', 'base64url').length, 12);
    assert.equal(Buffer.from(mac ?? '', 'base64url').length, 32);
    assert.ok(
      !Buffer.from(sealed ?? '', 'base64url')
        .toString('latin1')
        .includes('plain-text-marker'),
    );
  });

  it('refuses a cookie with any one character changed (reference test 31)', async () => {
    const store = make([NEW]);
    const k = key();
    const jar = new MemoryCookies();
    await store.save(k, record(), jar);
    const value = jar.get('sl_data') ?? '';
    assert.ok(await store.load(k, jar));
    for (let i = 0; i < value.length; i++) {
      const swap = value[i] === 'A' ? 'B' : 'A';
      jar.values.set('sl_data', value.slice(0, i) + swap + value.slice(i + 1));
      assert.equal(await store.load(k, jar), null, `changed character ${i} of ${value.length}`);
    }
    for (const broken of [
      value.slice(0, -1),
      `${value}A`,
      value.split('.').slice(0, 3).join('.'),
      'garbage',
      '...',
    ]) {
      jar.values.set('sl_data', broken);
      assert.equal(await store.load(k, jar), null);
    }
  });

  it("refuses another session's cookie pasted beside this session's id", async () => {
    const store = make([NEW]);
    const [a, b] = [key(), key()];
    const jar = new MemoryCookies();
    await store.save(a, record({ role: 'admin' }), jar);
    assert.equal(await store.load(b, jar), null);
    assert.equal(await store.inspect?.(b, jar), null);
  });

  it('rotates secrets: accepts the old one, seals again with the new, and forgets the old when removed', async () => {
    const k = key();
    const jar = new MemoryCookies();
    await make([OLD]).save(k, record({ n: 7 }), jar);
    const oldValue = jar.get('sl_data');
    const rotating = make([NEW, OLD]);
    const loaded = await rotating.load(k, jar);
    assert.deepEqual(loaded?.data, { n: 7 });
    assert.equal((await rotating.inspect?.(k, jar))?.details?.signature, 'valid (old secret)');
    await rotating.save(k, loaded as SessionRecord, jar);
    assert.notEqual(jar.get('sl_data'), oldValue);
    assert.equal((await rotating.inspect?.(k, jar))?.details?.signature, 'valid');
    const newOnly = make([NEW]);
    assert.deepEqual(
      (await newOnly.load(k, jar))?.data,
      { n: 7 },
      'the re-sealed cookie needs only the new secret',
    );
    jar.values.set('sl_data', oldValue ?? '');
    assert.equal((await newOnly.inspect?.(k, jar))?.details?.signature, 'invalid');
    assert.equal(await newOnly.load(k, jar), null);
    assert.equal(jar.get('sl_data'), undefined, 'a cookie no secret opens is deleted, not left behind');
  });

  it('load deletes a tampered cookie, and leaves one sealed for another key alone', async () => {
    const store = make([NEW]);
    const [a, b] = [key(), key()];
    const jar = new MemoryCookies();
    await store.save(a, record({ n: 1 }), jar);
    const sealed = jar.get('sl_data') ?? '';
    assert.equal(await store.load(b, jar), null);
    assert.equal(jar.get('sl_data'), sealed, "another key's data stays: a later candidate may load it");
    const at = Math.floor(sealed.length / 2);
    jar.values.set(
      'sl_data',
      `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`,
    );
    assert.equal(await store.load(a, jar), null);
    assert.equal(jar.get('sl_data'), undefined);
    assert.equal(jar.written.at(-1)?.maxAgeSeconds, 0);
  });

  it('refuses a session past 4096 bytes of Set-Cookie and keeps the old cookie (expressjs/cookie-session#35)', async () => {
    const store = make([NEW]);
    const k = key();
    const jar = new MemoryCookies();
    await store.save(k, record({ note: randomBytes(1000).toString('hex') }), jar); // 2 000 characters fit
    const before = { value: jar.get('sl_data'), writes: jar.written.length };
    const big = record({ note: randomBytes(1500).toString('hex') });
    await assert.rejects(store.save(k, big, jar), (error: unknown) => {
      assert.ok(error instanceof SessionTooLargeError);
      assert.equal(error.status, 413);
      assert.match(error.hint, /server-side store/);
      return true;
    });
    assert.equal(jar.written.length, before.writes, 'no cookie was set');
    assert.equal(jar.get('sl_data'), before.value);
  });

  it('shows the inspector the raw cookie, its signature status and the decrypted record', async () => {
    const store = make([NEW]);
    const k = key();
    const jar = new MemoryCookies();
    const saved = record({ n: 3 });
    await store.save(k, saved, jar);
    const form = await store.inspect?.(k, jar);
    assert.equal(form?.raw, jar.get('sl_data'));
    assert.equal(form?.location, 'cookie sl_data in the browser');
    assert.deepEqual(form?.details, { signature: 'valid', payload: saved, format: 'v1.iv.ciphertext.hmac' });
    const value = jar.get('sl_data') ?? '';
    jar.values.set('sl_data', `${value.slice(0, 10)}${value[10] === 'x' ? 'y' : 'x'}${value.slice(11)}`);
    assert.deepEqual((await store.inspect?.(k, jar))?.details, {
      signature: 'invalid',
      payload: null,
      format: 'v1.iv.ciphertext.hmac',
    });
    jar.values.set('sl_data', value.split('.').slice(0, 3).join('.'));
    assert.equal((await store.inspect?.(k, jar))?.details?.signature, 'missing');
  });

  it('destroy tells the browser to drop the cookie', async () => {
    const store = make([NEW]);
    const k = key();
    const jar = new MemoryCookies();
    await store.save(k, record(), jar);
    await store.destroy?.(k, jar);
    assert.equal(jar.written.at(-1)?.maxAgeSeconds, 0);
    assert.equal(await store.load(k, jar), null);
  });

  it('regenerate keeps the data: forgetting the old id does not delete the new cookie (found through the site)', async () => {
    const regenerating: App = (request, session) => {
      session.set('n', Number(session.get('n') ?? 0) + 1);
      if (new URL(request.url).pathname === '/login') session.regenerate();
      return Response.json(session.get('n'));
    };
    const browser = lab(regenerating, { storageType: 'cookie' }, make([NEW])).client();
    await browser.get('/');
    const before = browser.jar.get(COOKIE);
    const { setCookie } = await browser.get('/login');
    assert.notEqual(browser.jar.get(COOKIE), before);
    assert.equal(setCookie.filter((line) => /max-age=0/i.test(line)).length, 0, setCookie.join('\n'));
    assert.equal((await browser.get('/')).text, '3');
  });
});
