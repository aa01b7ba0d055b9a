import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ANSWER_WAIT_MS, Arrivals, HEAD_START_MS } from './arrivals.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('wakes a wait on a later, final exchange of its own session only', async () => {
  const arrivals = new Arrivals();
  const wait = arrivals.wait('k', 5, 10_000);
  let came: boolean | undefined;
  void wait.arrived.then((value) => {
    came = value;
  });
  assert.equal(arrivals.arrive('other', 9, 200), null, 'another session');
  assert.equal(arrivals.arrive('k', 5, 200), null, 'not later');
  assert.equal(arrivals.arrive('k', 7, 303), null, 'a redirect: the page comes with the next request');
  await tick();
  assert.equal(came, undefined);
  const answering = arrivals.arrive('k', 8, 200);
  assert.ok(answering, 'one inspection woke');
  assert.equal(await wait.arrived, true);
  wait.answered();
  await answering;
});

it('holds the exchange until the woken inspection has answered', async () => {
  const arrivals = new Arrivals();
  const wait = arrivals.wait('k', 0, 10_000);
  const order: string[] = [];
  const answering = arrivals.arrive('k', 1, 200)?.then(() => order.push('page'));
  await wait.arrived;
  await tick();
  order.push('inspection');
  wait.answered();
  await answering;
  assert.deepEqual(order, ['inspection', 'page']);
});

it('holds the page HEAD_START_MS past the answer, and no longer than ANSWER_WAIT_MS for a slow one', async () => {
  const arrivals = new Arrivals();
  const quick = arrivals.wait('k', 0, 10_000);
  let started = Date.now();
  const answering = arrivals.arrive('k', 1, 200);
  quick.answered();
  await answering;
  let held = Date.now() - started;
  assert.ok(held >= HEAD_START_MS - 2 && held < ANSWER_WAIT_MS + HEAD_START_MS, `held ${held} ms`);

  arrivals.wait('slow', 0, 10_000); // never says it answered
  started = Date.now();
  await arrivals.arrive('slow', 1, 200);
  held = Date.now() - started;
  const most = ANSWER_WAIT_MS + HEAD_START_MS;
  assert.ok(held >= most - 2 && held < most + 200, `held ${held} ms`);
});

it('gives up after its wait, and a later exchange then holds nothing', async () => {
  const arrivals = new Arrivals();
  const wait = arrivals.wait('k', 0, 30);
  assert.equal(await wait.arrived, false);
  wait.answered();
  assert.equal(arrivals.arrive('k', 1, 200), null);
});

it('parks at most a thousand waits: past that, a wait ends at once', async () => {
  const arrivals = new Arrivals();
  const waits = Array.from({ length: 1_000 }, (_, i) => arrivals.wait(`k${i}`, 0, 60_000));
  assert.equal(await arrivals.wait('one-more', 0, 60_000).arrived, false);
  for (const [i, wait] of waits.entries()) {
    const answering = arrivals.arrive(`k${i}`, 1, 200);
    assert.equal(await wait.arrived, true);
    wait.answered();
    await answering;
  }
  const again = arrivals.wait('one-more', 0, 60_000);
  const answering = arrivals.arrive('one-more', 2, 200);
  assert.equal(await again.arrived, true, 'room again once the others ended');
  again.answered();
  await answering;
});
