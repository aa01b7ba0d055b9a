import assert from 'node:assert/strict';
import { it } from 'node:test';
import { memorySharedState } from '../../../sandbox/shared/memory-shared-state.ts';
import { fixedWindowLimit } from './rate-limit.ts';

it('allows N requests a minute per visitor, then says how long to wait', async () => {
  let now = 1_000_000;
  const limit = fixedWindowLimit(3, memorySharedState({ now: () => now }));
  assert.deepEqual(await Promise.all([1, 2, 3].map(() => limit.take('a'))), [0, 0, 0]);
  now += 15_000;
  assert.equal(await limit.take('a'), 45);
  assert.equal(await limit.take('b'), 0, 'another visitor has its own allowance');
  assert.equal(await limit.take('2001:db8::1%eth0'), 0, 'any address makes a key');
  now += 45_000;
  assert.equal(await limit.take('a'), 0, 'a new minute starts over');
});

it('shares one allowance between two site instances counting in the same shared state', async () => {
  const shared = memorySharedState();
  const [a, b] = [fixedWindowLimit(4, shared), fixedWindowLimit(4, shared)];
  const waits = [];
  for (let i = 0; i < 6; i++) waits.push(await (i % 2 ? a : b).take('10.0.0.7'));
  assert.deepEqual(
    waits.map((w) => w > 0),
    [false, false, false, false, true, true],
  );
});
