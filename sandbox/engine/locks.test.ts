// The in-process lock: one holder per key, a bounded wait, and no key left behind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { LockTimeoutError } from './errors.ts';
import { KeyedMutex } from './locks.ts';

describe('when several requests want one key', () => {
  it('lets them in one at a time, in arrival order, and forgets the key afterwards', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    const work = async (name: string) => {
      const release = await mutex.acquire('k', 5);
      order.push(`${name} in`);
      await tick();
      order.push(`${name} out`);
      await release();
    };
    await Promise.all([work('a'), work('b'), work('c')]);
    assert.deepEqual(order, ['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    await tick();
    assert.equal(mutex.size, 0);
  });

  it('does not make other keys wait', async () => {
    const mutex = new KeyedMutex();
    const held = await mutex.acquire('a', 5);
    const other = await mutex.acquire('b', 0.05);
    await other();
    await held();
  });
});

describe('when the holder does not let go in time', () => {
  it('throws LockTimeoutError for the waiter, and a newcomer still waits for the holder (cherrypy#1391)', async () => {
    const mutex = new KeyedMutex();
    const release = await mutex.acquire('k', 5);
    await assert.rejects(mutex.acquire('k', 0.05), LockTimeoutError);
    let newcomerIn = false;
    const newcomer = mutex.acquire('k', 5).then((done) => {
      newcomerIn = true;
      return done;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(newcomerIn, false, 'the holder still holds the key');
    await release();
    await (await newcomer)();
    assert.equal(newcomerIn, true);
    await tick();
    assert.equal(mutex.size, 0);
  });
});
