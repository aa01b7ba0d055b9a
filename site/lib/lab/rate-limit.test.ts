import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fixedWindowLimit } from './rate-limit.ts';

it('allows N requests a minute per visitor, then says how long to wait', () => {
  const limit = fixedWindowLimit(3);
  const t0 = 1_000_000;
  assert.deepEqual(
    [1, 2, 3].map(() => limit.take('a', t0)),
    [0, 0, 0],
  );
  assert.equal(limit.take('a', t0 + 15_000), 45);
  assert.equal(limit.take('b', t0 + 15_000), 0, 'another visitor has its own allowance');
  assert.equal(limit.take('a', t0 + 60_000), 0, 'a new minute starts over');
});
