// The Session object an app sees, on its own: JSON values copied at set, clear errors naming the key
// path, keys that are just data, and the flags the engine reads after the app has run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateId } from './ids.ts';
import { Session, SessionValueError } from './session.ts';
import type { JsonValue, SessionRecord } from './types.ts';

const NOW = 1_700_000_000_000;
const loaded = (data: SessionRecord['data']): [string, SessionRecord] => [
  generateId(),
  { data, createdAt: NOW - 1_000, expiresAt: NOW + 60_000 },
];

class Point {
  x = 1;
}

describe('when a value is not JSON', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a Date', new Date(), /session value v is a Date/],
    ['a Map', new Map(), /session value v is a Map/],
    ['a Set', new Set([1]), /session value v is a Set/],
    ['undefined', undefined, /session value v is undefined/],
    ['NaN', Number.NaN, /session value v is NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, /session value v is Infinity/],
    ['a function', () => 1, /session value v is a function/],
    ['a bigint', 10n, /session value v is a bigint/],
    ['a class instance', new Point(), /session value v is a Point/],
    ['nested deep inside', { a: { b: [1, { c: new Map() }] } }, /session value v\.a\.b\[1\]\.c is a Map/],
    ['undefined in an object', { a: undefined }, /session value v\.a is undefined/],
  ];
  for (const [what, value, message] of cases) {
    it(`throws SessionValueError for ${what}, naming the key path, and keeps the session unchanged`, () => {
      const session = new Session(undefined, null, NOW);
      assert.throws(
        () => session.set('v', value as JsonValue),
        (error: Error) => {
          assert.ok(error instanceof SessionValueError);
          assert.match(error.message, message);
          assert.match(error.message, /sessions hold JSON only/);
          return true;
        },
      );
      assert.equal(session.has('v'), false);
      assert.equal(session.maskedId, undefined, 'a failed set issues no id');
    });
  }

  it('throws for an object that contains itself instead of overflowing the stack', () => {
    const looped: Record<string, unknown> = { a: 1 };
    looped.self = { back: looped };
    assert.throws(
      () => new Session(undefined, null, NOW).set('v', looped as JsonValue),
      (error: Error) =>
        error instanceof SessionValueError && /v\.self\.back refers back to/.test(error.message),
    );
  });
});

describe('when a value lent by get is changed in place', () => {
  const cases: [string, (lent: Record<string, JsonValue>) => void, RegExp][] = [
    [
      'a Date pushed into a list',
      (v) => (v.list as unknown[]).push(new Date()),
      /session value v\.list\[2\] is a Date/,
    ],
    ['a Map put in an object', (v) => Object.assign(v, { m: new Map() }), /session value v\.m is a Map/],
    ['undefined', (v) => Object.assign(v, { u: undefined }), /session value v\.u is undefined/],
    [
      'NaN deep inside',
      (v) => Object.assign(v.deep as object, { n: Number.NaN }),
      /session value v\.deep\.n is NaN/,
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`throws SessionValueError for ${what} when the engine serialises it, naming the key path`, () => {
      const [id, record] = loaded({ v: { list: [1, 2], deep: {} } });
      const session = new Session(id, record, NOW);
      change(session.get('v') as Record<string, JsonValue>);
      assert.throws(
        () => session.toJson(),
        (error: Error) => {
          assert.ok(error instanceof SessionValueError);
          assert.match(error.message, message);
          assert.match(error.message, /sessions hold JSON only/);
          return true;
        },
      );
    });
  }

  it('throws for a value changed to contain itself', () => {
    const [id, record] = loaded({ v: { a: 1 } });
    const session = new Session(id, record, NOW);
    const v = session.get('v') as Record<string, unknown>;
    v.self = v;
    assert.throws(
      () => session.toJson(),
      (error: Error) => error instanceof SessionValueError && /refers back to/.test(error.message),
    );
  });

  it('serialises JSON changed in place exactly as JSON.stringify does', () => {
    const [id, record] = loaded({ v: { list: [1, 2] }, n: 1 });
    const session = new Session(id, record, NOW);
    for (const [, value] of session.entries())
      if (typeof value === 'object') Object.assign(value ?? {}, { s: 'x' });
    (session.get('v') as { list: JsonValue[] }).list.push({ z: null, t: true, '': [] });
    assert.equal(session.toJson(), JSON.stringify(session.toData()));
    assert.deepEqual(JSON.parse(session.toJson()), {
      v: { list: [1, 2, { z: null, t: true, '': [] }], s: 'x' },
      n: 1,
    });
  });
});

describe('when a value is JSON', () => {
  it('copies it at set: changing the original afterwards changes nothing (withastro/astro PR #12883)', () => {
    const session = new Session(undefined, null, NOW);
    const cart = { items: [{ sku: 'a', qty: 1 }], note: 'hi' };
    session.set('cart', cart);
    cart.items[0] = { sku: 'b', qty: 9 };
    cart.note = 'changed';
    assert.deepEqual(session.get('cart'), { items: [{ sku: 'a', qty: 1 }], note: 'hi' });
  });

  it('keeps every JSON kind as given', () => {
    const session = new Session(undefined, null, NOW);
    const value = { n: -0.5, s: 'Zoë 🍪 <b>', t: true, f: false, z: null, list: [1, [2, [3]]], empty: {} };
    session.set('all', value);
    assert.deepEqual(session.get('all'), value);
  });

  it('accepts an object without a prototype as plain data', () => {
    const bare = Object.assign(Object.create(null) as Record<string, JsonValue>, { a: 1 });
    const session = new Session(undefined, null, NOW);
    session.set('bare', bare);
    assert.deepEqual(session.toData(), { bare: { a: 1 } });
  });

  it('keeps a nested __proto__ key as data and never changes a prototype', () => {
    const session = new Session(undefined, null, NOW);
    session.set('v', JSON.parse('{"__proto__": {"admin": true}, "name": "x"}'));
    const v = session.get('v') as Record<string, JsonValue>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.equal((v as { admin?: boolean }).admin, undefined);
    assert.deepEqual(Object.keys(v), ['__proto__', 'name']);
    assert.equal(JSON.stringify(session.toData()), '{"v":{"__proto__":{"admin":true},"name":"x"}}');
  });

  it('treats keys named like methods as data', () => {
    const session = new Session(undefined, null, NOW);
    for (const key of ['get', 'set', 'has', 'delete', 'constructor', '__proto__', 'toString'])
      session.set(key, key);
    assert.equal(session.size, 7);
    assert.equal(session.get('__proto__'), '__proto__');
    assert.equal(typeof session.get, 'function');
    assert.deepEqual(Object.keys(session.toData()).length, 7);
    const roundTrip = JSON.parse(JSON.stringify(session.toData()));
    assert.equal(Object.getOwnPropertyDescriptor(roundTrip, '__proto__')?.value, '__proto__');
  });
});

describe('when the session is new', () => {
  it('has no id until something is set, then a fresh one, and stays isNew for this request', () => {
    const session = new Session(undefined, null, NOW);
    assert.equal(session.isNew, true);
    assert.equal(session.id, undefined);
    assert.equal(session.expiresAt, undefined);
    assert.equal(session.createdAt, NOW);
    session.set('a', 1);
    assert.match(session.id ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(session.isNew, true);
    assert.equal(session.regenerated, false);
  });

  it('ignores an id offered without a record (the engine found none)', () => {
    const session = new Session(generateId(), null, NOW);
    assert.equal(session.id, undefined);
    assert.equal(session.isNew, true);
  });
});

describe('when the session was loaded', () => {
  it('reads the record and tells a real change from a rewrite of the same value', () => {
    const [id, record] = loaded({ n: 1, list: [1, 2] });
    const session = new Session(id, record, NOW);
    assert.equal(session.isNew, false);
    assert.equal(session.id, id);
    assert.equal(session.expiresAt?.getTime(), NOW + 60_000);
    assert.equal(session.createdAt, NOW - 1_000);
    session.set('n', 1);
    session.set('list', [1, 2]);
    assert.equal(session.changed, false);
    session.set('n', 2);
    assert.equal(session.changed, true);
  });

  it('shows a masked id, never the whole token', () => {
    const [id, record] = loaded({});
    const masked = new Session(id, record, NOW).maskedId ?? '';
    assert.ok(masked.length <= 10, masked);
    assert.ok(!masked.includes(id));
    assert.ok(masked.startsWith(id.slice(0, 6)));
  });

  it('regenerate: a new id, the same data, and the old id kept for the engine to delete', () => {
    const [id, record] = loaded({ user: 'alice' });
    const session = new Session(id, record, NOW);
    session.regenerate();
    assert.notEqual(session.id, id);
    assert.equal(session.loadedId, id);
    assert.equal(session.regenerated, true);
    assert.deepEqual(session.toData(), { user: 'alice' });
  });

  it('destroy: no id, no data, fate destroy', () => {
    const [id, record] = loaded({ user: 'alice' });
    const session = new Session(id, record, NOW);
    session.destroy();
    assert.equal(session.id, undefined);
    assert.equal(session.fate, 'destroy');
    assert.equal(session.size, 0);
    assert.equal(session.loadedId, id);
  });

  it('set after destroy starts a new session under a new id instead of dropping the value (a logout message)', () => {
    const [id, record] = loaded({ user: 'alice' });
    const session = new Session(id, record, NOW);
    session.destroy();
    session.set('flash', 'You are logged out');
    assert.equal(session.fate, 'keep');
    assert.match(session.id ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(session.id, id);
    assert.equal(session.regenerated, true, 'so the engine deletes the old record');
    assert.deepEqual(session.toData(), { flash: 'You are logged out' });
  });
});
