import assert from 'node:assert/strict';
import { it } from 'node:test';
import { withLocalFallback } from './fallback-shared-state.ts';
import { memorySharedState } from './memory-shared-state.ts';
import { type SharedState, SharedStateUnavailableError } from './shared-state.ts';

/** A shared store that can be switched off, as Redis stopped for a while. */
function switchable(): { store: SharedState; down: boolean } {
  const real = memorySharedState();
  const state = { down: false, store: real };
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      state.down
        ? Promise.reject(new SharedStateUnavailableError('redis://cache:6379', new Error('ECONNREFUSED')))
        : call(...args);
  state.store = {
    location: 'redis://cache:6379',
    get: guard(real.get),
    set: guard(real.set),
    increment: guard(real.increment),
    append: guard(real.append),
    list: guard(real.list),
    close: real.close,
  };
  return state;
}

it('keeps counting and listing on this instance while the shared store is down, and says so once each way', async () => {
  const shared = switchable();
  const lines: string[] = [];
  const b = withLocalFallback(shared.store, (line) => lines.push(line));
  assert.equal((await b.increment('rate:v', 60_000)).count, 1);
  await b.append('events:x', 'before', 10, 60_000);

  shared.down = true;
  await b.append('events:x', 'during', 10, 60_000);
  assert.deepEqual(await b.list('events:x'), ['before', 'during'], 'this instance remembers what it wrote');
  assert.equal((await b.increment('rate:v', 60_000)).count, 1, 'counted here, from scratch');
  assert.equal((await b.increment('rate:v', 60_000)).count, 2);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /redis:\/\/cache:6379 failed: ECONNREFUSED .*using this instance's memory/);

  shared.down = false;
  assert.equal((await b.increment('rate:v', 60_000)).count, 2, 'the shared count again');
  assert.deepEqual(await b.list('events:x'), ['before'], 'what happened during the outage stayed here');
  assert.equal(lines.length, 2);
  assert.match(lines[1] ?? '', /answers again/);
});

it("passes a caller's mistake through instead of hiding it behind the fallback", async () => {
  const b = withLocalFallback(memorySharedState(), () => assert.fail('nothing to log'));
  await assert.rejects(b.get('bad key'), TypeError);
  await assert.rejects(b.increment('rate:v', 0), RangeError);
});
