// The adapter's lazy Request must answer exactly as the real Request it stands for, member by member.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { lazyRequest, requestUrl } from './lazy-request.ts';

const ORIGIN = 'http://127.0.0.1:4321';

/** node's rawHeaders for a request with repeated, oddly cased and padded headers. */
const RAW = [
  'Host',
  '127.0.0.1:4321',
  'Cookie',
  'sid=abc',
  'cookie',
  'theme=dark',
  'Accept',
  ' text/html ',
  'ACCEPT',
  'text/plain',
  'X-Forwarded-Proto',
  'https',
  'Set-Cookie',
  'odd=1',
  'set-cookie',
  'odd=2',
  'X-Empty',
  '',
];

/** The Request the adapter used to build eagerly, for comparison. */
function realRequest(method: string, url: string, raw: string[]): Request {
  const request = new Request(url, { method });
  for (let i = 0; i < raw.length; i += 2) request.headers.append(raw[i] as string, raw[i + 1] as string);
  return request;
}

const pair = (method = 'GET', url = `${ORIGIN}/a/b?x=1`) => ({
  lazy: lazyRequest(method, url, RAW),
  real: realRequest(method, url, RAW),
});

describe('a lazy Request', () => {
  it('is a Request and a Headers to instanceof, toString and util.inspect', () => {
    const { lazy, real } = pair();
    assert.ok(lazy instanceof Request);
    assert.ok(lazy.headers instanceof Headers);
    assert.equal(Object.prototype.toString.call(lazy), '[object Request]');
    assert.equal(Object.prototype.toString.call(lazy.headers), '[object Headers]');
    assert.equal(inspect(lazy), inspect(real));
    assert.deepEqual(Object.keys(lazy), [], 'no own members a real Request lacks');
  });

  it('answers method, url and every header as the real Request', () => {
    for (const method of ['GET', 'HEAD']) {
      const { lazy, real } = pair(method);
      assert.equal(lazy.method, real.method);
      assert.equal(lazy.url, real.url);
      for (const name of [
        'cookie',
        'Cookie',
        'accept',
        'host',
        'x-forwarded-proto',
        'set-cookie',
        'x-empty',
        'nope',
      ]) {
        assert.equal(lazy.headers.get(name), real.headers.get(name), name);
        assert.equal(lazy.headers.has(name), real.headers.has(name), name);
      }
      assert.equal(lazy.headers.get('cookie'), 'sid=abc; theme=dark');
      assert.equal(lazy.headers.get('accept'), 'text/html, text/plain');
    }
  });

  it('iterates, copies and lists Set-Cookie as the real one', () => {
    const { lazy, real } = pair();
    assert.deepEqual([...lazy.headers], [...real.headers]);
    assert.deepEqual([...lazy.headers.keys()], [...real.headers.keys()]);
    assert.deepEqual(Object.fromEntries(lazy.headers), Object.fromEntries(real.headers));
    assert.deepEqual(lazy.headers.getSetCookie(), real.headers.getSetCookie());
    assert.deepEqual([...new Headers(lazy.headers)], [...real.headers]);
    const seen: string[] = [];
    lazy.headers.forEach((value, name) => {
      seen.push(`${name}: ${value}`);
    });
    assert.deepEqual(
      seen,
      [...real.headers].map(([name, value]) => `${name}: ${value}`),
    );
  });

  it('refuses a bad header name with the same error as the real one', () => {
    const { lazy, real } = pair();
    for (const name of ['bad name', 'é', '']) {
      const expected = (() => {
        try {
          real.headers.get(name);
        } catch (error) {
          return error as Error;
        }
      })();
      assert.throws(() => lazy.headers.get(name), { name: 'TypeError', message: expected?.message });
      assert.throws(() => lazy.headers.has(name), TypeError);
    }
  });

  it('has the real one’s empty body, signal and fetch defaults', async () => {
    const { lazy, real } = pair();
    assert.equal(lazy.body, null);
    assert.equal(lazy.bodyUsed, false);
    assert.ok(lazy.signal instanceof AbortSignal);
    for (const key of [
      'cache',
      'credentials',
      'destination',
      'integrity',
      'keepalive',
      'mode',
      'redirect',
    ] as const)
      assert.equal(lazy[key], real[key], key);
    assert.equal(await lazy.text(), '');
    assert.equal((await lazy.arrayBuffer()).byteLength, 0);
  });

  it('can be cloned, wrapped in new Request and given to fetch’s Request converter', () => {
    const { lazy } = pair();
    const clone = lazy.clone();
    assert.ok(clone instanceof Request);
    assert.equal(clone.url, lazy.url);
    assert.equal(clone.headers.get('cookie'), 'sid=abc; theme=dark');
    const wrapped = new Request(lazy, { headers: { 'x-more': '1' } });
    assert.equal(wrapped.url, lazy.url);
    assert.equal(wrapped.method, 'GET');
    assert.equal(wrapped.headers.get('x-more'), '1');
    const copied = new Request(lazy);
    assert.equal(copied.headers.get('accept'), 'text/html, text/plain');
  });

  it('keeps a change to its headers, before and after the real Request is made', () => {
    const { lazy } = pair();
    lazy.headers.set('x-added', 'before');
    lazy.headers.delete('accept');
    assert.equal(lazy.headers.get('x-added'), 'before');
    assert.equal(lazy.headers.get('accept'), null);
    const copy = new Request(lazy);
    assert.equal(copy.headers.get('x-added'), 'before');
    assert.equal(copy.headers.get('accept'), null);
    lazy.headers.set('x-later', 'after');
    assert.equal(lazy.clone().headers.get('x-later'), 'after');
  });

  it('passes fetch’s Request check: fetch reaches the network with its URL', async () => {
    // Port 9 (discard) on an address that refuses: fetch fails on connecting, not on the Request.
    const lazy = lazyRequest('GET', 'http://127.0.0.1:9/x', ['Host', '127.0.0.1:9']);
    const error = await fetch(lazy).then(
      () => null,
      (e: Error) => e,
    );
    assert.ok(error instanceof TypeError);
    assert.equal(error.message, 'fetch failed', 'a network failure, not a rejected argument');
  });
});

describe('requestUrl', () => {
  it('gives what new Request gives, for plain and tricky targets alike', () => {
    const targets = [
      '/',
      '/a/b?x=1&y=%20',
      '/a/./b',
      '/a/../../b',
      '/%2e%2E/x',
      '/.well-known/x',
      '//double',
      '/a b',
      '/é?é',
      '/a\\b',
      '/q?a=\'"<>`',
      '/x#frag',
      '/%zz',
      '/a?',
      '/a/?b=c/d?e',
    ];
    for (const origin of [ORIGIN, 'http://LOCALHOST:80', 'https://example.test:443', 'http://[::1]:3000']) {
      for (const target of targets)
        assert.equal(requestUrl(origin, target), new Request(origin + target).url, `${origin} ${target}`);
    }
  });

  it('agrees with new Request on random targets', () => {
    const pieces = [
      '/',
      '.',
      '..',
      '%2e',
      '%',
      '%41',
      'a',
      '?',
      '#',
      '&',
      '=',
      ' ',
      "'",
      '<',
      '^',
      '{',
      '|',
      '\\',
      '@',
      ':',
      '~',
      'é',
      '\t',
    ];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      let target = '/';
      for (let j = random(8); j > 0; j--) target += pieces[random(pieces.length)];
      assert.equal(requestUrl(ORIGIN, target), new Request(ORIGIN + target).url, target);
    }
  });

  it('throws a TypeError for a target that makes no URL, as new Request does', () => {
    for (const target of ['*', 'http://other.test/']) {
      assert.throws(() => new Request(ORIGIN + target), TypeError);
      assert.throws(() => requestUrl(ORIGIN, target), TypeError);
    }
  });
});
