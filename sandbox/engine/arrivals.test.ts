import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ANSWER_WAIT_MS, Arrivals, HEAD_START_MS, LATE_WAIT_MS } from './arrivals.ts';

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

it('gives up after its wait; the next exchange waits LATE_WAIT_MS for a late inspection, the one after not at all', async () => {
  const arrivals = new Arrivals();
  const wait = arrivals.wait('k', 0, 30);
  assert.equal(await wait.arrived, false);
  wait.answered();
  const started = Date.now();
  const late = arrivals.arrive('k', 1, 200);
  assert.ok(late, 'the session is watched: its inspection may be on its way');
  await late;
  const held = Date.now() - started;
  assert.ok(held >= LATE_WAIT_MS - 2 && held < LATE_WAIT_MS + 200, `held ${held} ms`);
  assert.equal(arrivals.arrive('k', 2, 200), null, 'none came: no longer watched');
});

it('never holds a session whose inspector has not asked ahead', () => {
  const arrivals = new Arrivals();
  const wait = arrivals.wait('watched', 0, 10_000);
  assert.equal(arrivals.arrive('unwatched', 1, 200), null);
  wait.answered();
});

it('answers an inspection that reaches the server just after the page, and holds the page for it', async () => {
  const arrivals = new Arrivals();
  const first = arrivals.wait('k', 0, 10_000); // the click before: the session is watched
  const answering = arrivals.arrive('k', 1, 200);
  first.answered();
  await answering;

  const order: string[] = [];
  const started = Date.now();
  const page = arrivals.arrive('k', 5, 200)?.then(() => order.push('page'));
  assert.ok(page, 'held for the inspection on its way');
  await new Promise((resolve) => setTimeout(resolve, LATE_WAIT_MS / 2));
  const late = arrivals.wait('k', 1, 10_000); // the engine sees the exchange at 5 is newer and answers
  await new Promise((resolve) => setTimeout(resolve, 5));
  order.push('inspection');
  late.answered();
  await page;
  assert.deepEqual(order, ['inspection', 'page']);
  const held = Date.now() - started;
  assert.ok(held >= LATE_WAIT_MS / 2 + HEAD_START_MS, `held ${held} ms`);
});

it('parks at most a thousand waits: past that, a wait ends at once', async () => {
  const arrivals = new Arrivals();
  const waits = Array.from({ length: 1_000 }, (_, i) => arrivals.wait(`k${i}`, 0, 60_000));
  assert.equal(await arrivals.wait('one-more', 0, 60_000).arrived, false);
  await Promise.all(
    waits.map(async (wait, i) => {
      const answering = arrivals.arrive(`k${i}`, 1, 200);
      assert.equal(await wait.arrived, true);
      wait.answered();
      await answering;
    }),
  );
  const again = arrivals.wait('one-more', 0, 60_000);
  const answering = arrivals.arrive('one-more', 2, 200);
  assert.equal(await again.arrived, true, 'room again once the others ended');
  again.answered();
  await answering;
});
