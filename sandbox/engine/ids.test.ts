// Session ids: random, one fixed shape, checked strictly, hashed before any store sees them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateId, hashId, isWellFormedId, maskId } from './ids.ts';

describe('when ids are generated', () => {
  it('makes 1 000 different ids, each 43 base64url characters (256 bits; OWASP asks for ≥ 64)', () => {
    const ids = Array.from({ length: 1_000 }, generateId);
    assert.equal(new Set(ids).size, 1_000);
    for (const id of ids) {
      assert.equal(id.length, 43);
      assert.match(id, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(isWellFormedId(id), true);
      assert.equal(Buffer.from(id, 'base64url').length, 32);
    }
  });
});

describe('when a client offers an id', () => {
  const id = generateId();
  const bad = [
    '',
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    `${id.slice(0, 42)}\0`,
    `${id.slice(0, 42)}é`,
    `${id.slice(0, 42)}=`,
    `${id.slice(0, 42)}+`,
    `${id.slice(0, 42)}/`,
    id.slice(0, 42),
    `${id}A`,
    ` ${id}`,
    `${id}\n`,
    'A'.repeat(10_240),
  ];
  for (const candidate of bad) {
    it(`refuses ${JSON.stringify(candidate.length > 60 ? `${candidate.slice(0, 20)}… (${candidate.length})` : candidate)}`, () => {
      assert.equal(isWellFormedId(candidate), false);
    });
  }
});

describe('when an id is hashed for the store', () => {
  it('gives the same key for the same id, a different key for another, never the id itself', () => {
    const id = generateId();
    assert.equal(hashId(id), hashId(id));
    assert.notEqual(hashId(id), id);
    assert.notEqual(hashId(id), hashId(generateId()));
    assert.equal(hashId(id).length, 43, 'SHA-256 in base64url');
    assert.ok(!hashId(id).includes(id.slice(0, 10)));
  });

  it('is SHA-256 of the id text', () => {
    assert.equal(hashId('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});

describe('when an id is shown', () => {
  it('masks it to a short prefix and suffix', () => {
    const id = generateId();
    const masked = maskId(id);
    assert.equal(masked, `${id.slice(0, 6)}…${id.slice(-2)}`);
    assert.ok(masked.length < 12);
    assert.ok(!masked.includes(id.slice(6, 41)));
  });
});
