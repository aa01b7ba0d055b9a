// The Cookie reader forgives what browsers send; the Set-Cookie writer refuses what browsers would misread.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookieHeader, serializeSetCookie } from './cookies.ts';

const plain = (header: string | null) => ({ ...parseCookieHeader(header) });

describe('when reading a Cookie header', () => {
  it('reads name=value pairs, trimming the spaces around them', () => {
    assert.deepEqual(plain('a=1;b=2 ;  c = 3 '), { a: ['1'], b: ['2'], c: ['3'] });
  });

  it('returns nothing for no header or an empty one', () => {
    assert.deepEqual(plain(null), {});
    assert.deepEqual(plain(''), {});
    assert.deepEqual(plain(' ; ;; '), {});
  });

  it('skips pairs without = or without a name', () => {
    assert.deepEqual(plain('flag; =orphan; a=1'), { a: ['1'] });
  });

  it('keeps an empty value and a value that contains =', () => {
    assert.deepEqual(plain('empty=; b64=YQ=='), { empty: [''], b64: ['YQ=='] });
  });

  it('unquotes a quoted value and decodes %-escapes', () => {
    assert.deepEqual(plain('q="hello"; e=a%20b%3Bc; lone="'), { q: ['hello'], e: ['a b;c'], lone: ['"'] });
  });

  it('skips a value with a bad %-escape instead of throwing', () => {
    assert.deepEqual(plain('bad=%E0%A4%A; good=1; worse=%'), { good: ['1'] });
  });

  it('keeps every value of a repeated name, in order (expressjs/session#881)', () => {
    assert.deepEqual(plain('sid=first; other=x; sid=second'), { sid: ['first', 'second'], other: ['x'] });
  });

  it('treats __proto__ and constructor as plain names', () => {
    const cookies = parseCookieHeader('__proto__=p; constructor=c; toString=t');
    assert.deepEqual(Object.getOwnPropertyDescriptor(cookies, '__proto__')?.value, ['p']);
    assert.deepEqual(cookies.constructor, ['c']);
    assert.deepEqual(Object.keys(cookies), ['__proto__', 'constructor', 'toString']);
    assert.equal(({} as Record<string, unknown>).p, undefined);
  });
});

describe('when writing a Set-Cookie header', () => {
  it('writes the value and the attributes in a fixed order', () => {
    assert.equal(
      serializeSetCookie({
        name: 'sid',
        value: 'abc',
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
      }),
      'sid=abc; Path=/; HttpOnly; Secure; SameSite=Lax',
    );
  });

  it('writes Max-Age with a matching Expires for old clients', () => {
    const before = Date.now();
    const line = serializeSetCookie({ name: 'sid', value: 'abc', maxAgeSeconds: 90.9 });
    const match = /^sid=abc; Max-Age=90; Expires=(.+)$/.exec(line);
    assert.ok(match?.[1], line);
    const expires = Date.parse(match[1]);
    assert.ok(Math.abs(expires - (before + 90_000)) <= 2_000, match[1]);
  });

  it('deletes with an empty value and Max-Age=0', () => {
    assert.match(
      serializeSetCookie({ name: 'sid', value: '', path: '/', maxAgeSeconds: 0 }),
      /^sid=; Path=\/; Max-Age=0; Expires=/,
    );
  });

  const refused: [string, Parameters<typeof serializeSetCookie>[0], RegExp][] = [
    ['a name with a space', { name: 'bad name', value: 'x' }, /invalid cookie name/],
    ['a name with =', { name: 'a=b', value: 'x' }, /invalid cookie name/],
    ['an empty name', { name: '', value: 'x' }, /invalid cookie name/],
    ['a value with ;', { name: 'sid', value: 'a;b' }, /invalid characters/],
    ['a value with a space', { name: 'sid', value: 'a b' }, /invalid characters/],
    ['a value with a quote', { name: 'sid', value: 'a"b' }, /invalid characters/],
    ['a value with a comma', { name: 'sid', value: 'a,b' }, /invalid characters/],
    ['a value with a newline', { name: 'sid', value: 'a\r\nSet-Cookie: x=y' }, /invalid characters/],
    ['a non-ASCII value', { name: 'sid', value: 'é' }, /invalid characters/],
    ['a path with ;', { name: 'sid', value: 'x', path: '/a; Domain=evil.test' }, /invalid cookie path/],
    ['a path with a newline', { name: 'sid', value: 'x', path: '/a\n' }, /invalid cookie path/],
    ['an empty path', { name: 'sid', value: 'x', path: '' }, /invalid cookie path/],
    [
      'SameSite=None without Secure',
      { name: 'sid', value: 'x', sameSite: 'None' },
      /SameSite=None requires Secure/,
    ],
    [
      'a Max-Age that is not a number',
      { name: 'sid', value: 'x', maxAgeSeconds: Number.NaN },
      /invalid Max-Age/,
    ],
  ];
  for (const [what, cookie, message] of refused) {
    it(`throws on ${what}`, () => {
      assert.throws(
        () => serializeSetCookie(cookie),
        (error: Error) => error instanceof TypeError && message.test(error.message),
      );
    });
  }

  it('allows SameSite=None together with Secure', () => {
    assert.equal(
      serializeSetCookie({ name: 'sid', value: 'x', secure: true, sameSite: 'None' }),
      'sid=x; Secure; SameSite=None',
    );
  });
});
