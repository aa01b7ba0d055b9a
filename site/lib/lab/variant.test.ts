import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { visitorScheme } from './router.ts';
import { defaultVariant, parseLabPath, profileOf, variantBase, variantConfig } from './variant.ts';

describe('demo variant paths', () => {
  it('mount the default counter on RAM at /lab/counter/ram/std/', () => {
    assert.equal(variantBase(defaultVariant('counter')), '/lab/counter/ram/std/');
  });

  it('round-trip every setting through the path', () => {
    const v = {
      ...defaultVariant('counter', 'file'),
      writePolicy: 'on-shutdown' as const,
      timeout: 0.5,
      locking: 'none' as const,
      workers: 2 as const,
    };
    assert.equal(profileOf(v), 'on-shutdown.t30s.nolock.w2');
    const parsed = parseLabPath(`${variantBase(v)}page2?x=1`);
    assert.deepEqual(parsed?.variant, v);
    assert.equal(parsed?.base, '/lab/counter/file/on-shutdown.t30s.nolock.w2/');
  });

  it('accept the base without its trailing slash', () => {
    assert.equal(parseLabPath('/lab/counter/ram/std')?.base, '/lab/counter/ram/std/');
  });

  it('refuse unknown apps, stores, tokens, timeouts and non-canonical spellings', () => {
    for (const path of [
      '/lab/nope/ram/std/',
      '/lab/counter/floppy/std/',
      '/lab/counter/ram/turbo/',
      '/lab/counter/ram/t7s/',
      '/lab/counter/ram/nolock.url/', // tokens out of order: two spellings would mean two cookie paths
      '/lab/counter/custom/std/', // the custom store belongs to db-store
      '/lab/counter/cookie/url/', // the cookie store needs the cookie transport
      '/lab/../etc/passwd',
      '/lab/counter',
      '/other/counter/ram/std/',
    ]) {
      assert.equal(parseLabPath(path), null, path);
    }
  });

  it('write a [session] config scoped to the variant path', () => {
    const text = variantConfig({ ...defaultVariant('name-form'), transport: 'url' });
    assert.match(text, /^\[session\]\n/);
    assert.match(text, /transport=url/);
    assert.match(text, /cookiePath=\/lab\/name-form\/ram\/url\/\n/);
  });
});

describe('a variant with demo flaws', () => {
  const flawed = { ...defaultVariant('counter'), flaws: ['adopt-client-ids', 'keep-id-at-sign-in'] as const };

  it('names each flaw in its profile, in UNSAFE_FLAWS order, and writes the config key', () => {
    const v = { ...flawed, transport: 'url' as const, flaws: [...flawed.flaws] };
    assert.equal(profileOf(v), 'url.unsafe-adopt-client-ids.unsafe-keep-id-at-sign-in');
    assert.match(variantConfig(v), /^unsafeDemoFlaws=adopt-client-ids,keep-id-at-sign-in$/m);
    assert.doesNotMatch(variantConfig(defaultVariant('counter')), /unsafeDemoFlaws/);
  });

  it('round-trips through the path of a login demo', () => {
    const parsed = parseLabPath(
      '/lab/login/ram/url.unsafe-adopt-client-ids.unsafe-keep-id-at-sign-in/sign-in',
    );
    assert.deepEqual(parsed?.variant.flaws, ['adopt-client-ids', 'keep-id-at-sign-in']);
    assert.equal(parsed?.variant.transport, 'url');
    assert.equal(
      parseLabPath('/lab/login/ram/unsafe-keep-id-at-sign-in.unsafe-adopt-client-ids/'),
      null,
      'order',
    );
    assert.equal(parseLabPath('/lab/login/ram/unsafe-no-https/'), null, 'unknown flaw');
    assert.equal(parseLabPath('/lab/login/ram/unsafe-adopt-client-ids.unsafe-adopt-client-ids/'), null);
  });

  it('is refused for any app but login', () => {
    assert.equal(parseLabPath('/lab/counter/ram/unsafe-adopt-client-ids/'), null);
    assert.equal(parseLabPath('/lab/name-form/ram/url.unsafe-script-readable-cookie/'), null);
  });
});

describe('the scheme a demo worker is told', () => {
  const req = (proto?: string) =>
    ({ socket: {}, headers: proto ? { 'x-forwarded-proto': proto } : {} }) as unknown as IncomingMessage;

  it('is https only when a trusted proxy says so', () => {
    assert.equal(visitorScheme(req('https'), true), 'https');
    assert.equal(visitorScheme(req('https, http'), true), 'https');
    assert.equal(visitorScheme(req('https'), false), 'http', 'an untrusted header is ignored');
    assert.equal(visitorScheme(req(), true), 'http');
  });

  it('and the demo config trusts the site, its only client', () => {
    assert.match(variantConfig(defaultVariant('counter')), /^trustProxy=true$/m);
  });
});
