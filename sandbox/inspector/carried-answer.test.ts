import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carriedAnswer, readCarriedAnswer } from './carried-answer.ts';

describe('the answer carried in the head', () => {
  it('reads back what it carried, non-ASCII data included, as a header value may hold it', () => {
    const answer = { store: 'ram', data: { name: 'Zoë 🍪', note: 'a;b=c, "d"' } };
    const value = carriedAnswer(JSON.stringify(answer));
    assert.ok(value !== null);
    assert.match(value, /^[\x21-\x7e]+$/, 'visible ASCII only');
    assert.deepEqual(readCarriedAnswer(value), answer);
  });

  it('carries no answer too large for a proxy to pass on, and reads none from a missing or broken value', () => {
    assert.equal(carriedAnswer(JSON.stringify({ data: 'x'.repeat(9_000) })), null);
    assert.equal(readCarriedAnswer(null), null);
    assert.equal(readCarriedAnswer('%7B%22store'), null);
  });
});
