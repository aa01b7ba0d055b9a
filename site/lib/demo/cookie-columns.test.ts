import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cookieTable, defaultPath, parseSetCookie } from './cookie-columns.ts';

const AT = Date.UTC(2026, 10, 28, 12, 0, 0);
const BASE = '/lab/counter/ram/std/';
const seen = (line: string, requestPath = BASE, setAt = AT) => ({ line, setAt, requestPath });

describe('parsing a Set-Cookie line', () => {
  it('reads attributes case-insensitively, as browsers do', () => {
    const c = parseSetCookie('sid=abc; path=/x/; HTTPONLY; secure; SameSite=strict; Domain=.Example.org');
    assert.deepEqual(c, {
      name: 'sid',
      value: 'abc',
      path: '/x/',
      domain: 'Example.org',
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    });
  });

  it('ignores a line without name=value and an unknown SameSite value', () => {
    assert.equal(parseSetCookie('HttpOnly; Path=/'), null);
    assert.equal(parseSetCookie('=v; Path=/'), null);
    assert.equal(parseSetCookie('a=1; SameSite=Sometimes')?.sameSite, undefined);
  });

  it('keeps the value exactly, = signs included', () => {
    assert.equal(parseSetCookie('data=v1.a=b==; Path=/')?.value, 'v1.a=b==');
  });
});

describe('the default path (RFC 6265 §5.1.4)', () => {
  it('cuts at the last slash', () => {
    assert.equal(defaultPath('/lab/counter/ram/std/page2?x=1'), '/lab/counter/ram/std');
    assert.equal(defaultPath('/lab/counter/ram/std/'), '/lab/counter/ram/std');
    assert.equal(defaultPath('/page'), '/');
    assert.equal(defaultPath('page'), '/');
  });
});

describe('the DevTools table', () => {
  it('fills every column from the line that set the cookie', () => {
    const { rows, removed } = cookieTable({
      received: { session_lab_id: ['AbCdEf…xy'] },
      latest: [seen(`session_lab_id=AbCdEf…xy; Path=${BASE}; HttpOnly; SameSite=Lax`)],
      host: 'localhost',
      valueBytes: { session_lab_id: 43 },
    });
    assert.deepEqual(rows, [
      {
        name: 'session_lab_id',
        value: 'AbCdEf…xy',
        domain: 'localhost',
        path: BASE,
        expires: 'Session',
        size: 14 + 43,
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
        attributesKnown: true,
      },
    ]);
    assert.deepEqual(removed, []);
  });

  it('turns Max-Age into a date, winning over Expires, and shows an absent SameSite as the Lax default', () => {
    const { rows } = cookieTable({
      received: { a: ['1'] },
      latest: [seen('a=1; Max-Age=60; Expires=Thu, 01 Jan 2099 00:00:00 GMT', '/lab/x/y/z/page2')],
      host: '127.0.0.1',
    });
    assert.equal(rows[0]?.expires, '2026-11-28T12:01:00.000Z');
    assert.equal(rows[0]?.sameSite, 'Lax (default)');
    assert.equal(rows[0]?.path, '/lab/x/y/z');
    assert.equal(rows[0]?.size, 2);
  });

  it('counts the size in UTF-8 bytes of name and value', () => {
    const { rows } = cookieTable({
      received: { é: ['€'] },
      latest: [],
      host: 'h',
    });
    assert.equal(rows[0]?.size, 2 + 3);
  });

  it('marks a cookie whose Set-Cookie line this process never saw as unknown', () => {
    const { rows } = cookieTable({
      received: { session_lab_id: ['ZZZZZZ…zz'] },
      latest: [seen(`session_lab_id=AbCdEf…xy; Path=${BASE}; HttpOnly`)],
      host: 'localhost',
    });
    assert.equal(rows[0]?.attributesKnown, false);
    assert.equal(rows[0]?.httpOnly, null);
    assert.equal(rows[0]?.path, '?');
  });

  it('lists a cookie the last response deleted, and no row for it', () => {
    const { rows, removed } = cookieTable({
      received: {},
      latest: [
        seen(`session_lab_id=; Path=${BASE}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly`),
      ],
      host: 'localhost',
    });
    assert.deepEqual(rows, []);
    assert.deepEqual(removed, ['session_lab_id']);
  });

  it('takes a cookie set earlier from the remembered lines, with its own time', () => {
    const { rows } = cookieTable({
      received: { session_lab_id: ['AbCdEf…xy'], session_lab_id_data: ['v1.abc…yz'] },
      latest: [seen(`session_lab_id_data=v1.abc…yz; Path=${BASE}; Max-Age=3600; HttpOnly`)],
      remembered: [seen(`session_lab_id=AbCdEf…xy; Path=${BASE}; Max-Age=60; HttpOnly`, BASE, AT - 30_000)],
      host: 'localhost',
    });
    assert.deepEqual(
      rows.map((r) => [r.name, r.attributesKnown, r.expires]),
      [
        ['session_lab_id', true, '2026-11-28T12:00:30.000Z'],
        ['session_lab_id_data', true, '2026-11-28T13:00:00.000Z'],
      ],
    );
  });
});
