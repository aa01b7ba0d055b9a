import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ANSWER_WAIT_MS, HEAD_START_MS, InspectorWaits, LATE_WAIT_MS } from './inspector-waits.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('wakes a wait on a later, final exchange of its own session only', async () => {
  const waits = new InspectorWaits();
  const wait = waits.wait('k', 5, 10_000);
  let came: boolean | undefined;
  void wait.arrived.then((value) => {
    came = value;
  });
  assert.equal(waits.arrive('other', 9, 200), null, 'another session');
  assert.equal(waits.arrive('k', 5, 200), null, 'not later');
  assert.equal(waits.arrive('k', 7, 303), null, 'a redirect: the page comes with the next request');
  await tick();
  assert.equal(came, undefined);
  const answering = waits.arrive('k', 8, 200);
  assert.ok(answering, 'one inspection woke');
  assert.equal(await wait.arrived, true);
  wait.answered();
  await answering;
});

it('holds the exchange until the woken inspection has answered', async () => {
  const waits = new InspectorWaits();
  const wait = waits.wait('k', 0, 10_000);
  const order: string[] = [];
  const answering = waits.arrive('k', 1, 200)?.then(() => order.push('page'));
  await wait.arrived;
  await tick();
  order.push('inspection');
  wait.answered();
  await answering;
  assert.deepEqual(order, ['inspection', 'page']);
});

it('holds the page HEAD_START_MS past the answer, and no longer than ANSWER_WAIT_MS for a slow one', async () => {
  const waits = new InspectorWaits();
  const quick = waits.wait('k', 0, 10_000);
  let started = Date.now();
  const answering = waits.arrive('k', 1, 200);
  quick.answered();
  await answering;
  let held = Date.now() - started;
  assert.ok(held >= HEAD_START_MS - 2 && held < ANSWER_WAIT_MS + HEAD_START_MS, `held ${held} ms`);

  waits.wait('slow', 0, 10_000); // never says it answered
  started = Date.now();
  await waits.arrive('slow', 1, 200);
  held = Date.now() - started;
  const most = ANSWER_WAIT_MS + HEAD_START_MS;
  assert.ok(held >= most - 2 && held < most + 200, `held ${held} ms`);
});

it('gives up after its wait; the next exchange waits LATE_WAIT_MS for a late inspection, the one after not at all', async () => {
  const waits = new InspectorWaits();
  const wait = waits.wait('k', 0, 30);
  assert.equal(await wait.arrived, false);
  wait.answered();
  const started = Date.now();
  const late = waits.arrive('k', 1, 200);
  assert.ok(late, 'the session is watched: its inspection may be on its way');
  await late;
  const held = Date.now() - started;
  assert.ok(held >= LATE_WAIT_MS - 2 && held < LATE_WAIT_MS + 200, `held ${held} ms`);
  assert.equal(waits.arrive('k', 2, 200), null, 'none came: no longer watched');
});

it('never holds a session whose inspector has not asked ahead', () => {
  const waits = new InspectorWaits();
  const wait = waits.wait('watched', 0, 10_000);
  assert.equal(waits.arrive('unwatched', 1, 200), null);
  wait.answered();
});

it('answers an inspection that reaches the server just after the page, and holds the page for it', async () => {
  const waits = new InspectorWaits();
  const first = waits.wait('k', 0, 10_000); // the click before: the session is watched
  const answering = waits.arrive('k', 1, 200);
  first.answered();
  await answering;

  const order: string[] = [];
  const started = Date.now();
  const page = waits.arrive('k', 5, 200)?.then(() => order.push('page'));
  assert.ok(page, 'held for the inspection on its way');
  await new Promise((resolve) => setTimeout(resolve, LATE_WAIT_MS / 2));
  const late = waits.wait('k', 1, 10_000); // the engine sees the exchange at 5 is newer and answers
  await new Promise((resolve) => setTimeout(resolve, 5));
  order.push('inspection');
  late.answered();
  await page;
  assert.deepEqual(order, ['inspection', 'page']);
  const held = Date.now() - started;
  assert.ok(held >= LATE_WAIT_MS / 2 + HEAD_START_MS, `held ${held} ms`);
});

it('parks at most a thousand waits: past that, a wait ends at once', async () => {
  const waits = new InspectorWaits();
  const parked = Array.from({ length: 1_000 }, (_, i) => waits.wait(`k${i}`, 0, 60_000));
  assert.equal(await waits.wait('one-more', 0, 60_000).arrived, false);
  await Promise.all(
    parked.map(async (wait, i) => {
      const answering = waits.arrive(`k${i}`, 1, 200);
      assert.equal(await wait.arrived, true);
      wait.answered();
      await answering;
    }),
  );
  const again = waits.wait('one-more', 0, 60_000);
  const answering = waits.arrive('one-more', 2, 200);
  assert.equal(await again.arrived, true, 'room again once the others ended');
  again.answered();
  await answering;
});
