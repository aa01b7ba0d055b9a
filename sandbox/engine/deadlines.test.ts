// The shared store-call deadline: each call still fails on its own after `ms`, answers pass through,
// and no timer is left running once nothing waits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreDeadlines } from './deadlines.ts';
import { StoreUnavailableError } from './errors.ts';

const never = () => new Promise<never>(() => {});
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('a store call under a deadline', () => {
  it('passes an answer and a failure through unchanged', async () => {
    const deadlines = new StoreDeadlines('ram', 1_000);
    assert.equal(await deadlines.race(Promise.resolve(42)), 42);
    const failure = new Error('disk full');
    await assert.rejects(deadlines.race(Promise.reject(failure)), (error) => error === failure);
  });

  it('fails with a 503 naming the store once the time is up', async () => {
    const deadlines = new StoreDeadlines('redis', 30);
    const started = performance.now();
    await assert.rejects(deadlines.race(never()), (error: unknown) => {
      assert.ok(error instanceof StoreUnavailableError);
      assert.equal(error.status, 503);
      assert.match(error.message, /\[redis\] no answer within 30 ms/);
      return true;
    });
    assert.ok(performance.now() - started >= 29, 'not before its time');
  });

  it('times each call from its own start, while other calls come and go', async () => {
    const deadlines = new StoreDeadlines('file', 60);
    const first = deadlines.race(never()).catch((error: Error) => ({ failedAt: performance.now(), error }));
    await sleep(30);
    const secondStart = performance.now();
    const second = deadlines.race(never()).catch((error: Error) => ({ failedAt: performance.now(), error }));
    assert.equal(await deadlines.race(sleep(5).then(() => 'quick')), 'quick');
    const [a, b] = await Promise.all([first, second]);
    assert.ok(a.error instanceof StoreUnavailableError);
    assert.ok(b.error instanceof StoreUnavailableError);
    assert.ok(a.failedAt < b.failedAt, 'the older call fails first');
    assert.ok(b.failedAt - secondStart >= 59, 'the later call got its full time');
  });

  it('still fails a call that hangs after a quiet spell', async () => {
    const deadlines = new StoreDeadlines('ram', 40);
    await deadlines.race(Promise.resolve('answered'));
    await sleep(20);
    const started = performance.now();
    await assert.rejects(deadlines.race(never()), StoreUnavailableError);
    assert.ok(performance.now() - started >= 39, 'it got its full time');
  });

  it('keeps no timer holding the process once every call has answered', async () => {
    const before = timers();
    const deadlines = new StoreDeadlines('ram', 60_000);
    await Promise.all([deadlines.race(sleep(5)), deadlines.race(Promise.resolve(1))]);
    assert.equal(timers(), before);
  });
});
