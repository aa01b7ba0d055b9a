import assert from 'node:assert/strict';
import { it } from 'node:test';
import { InspectorWaits } from './waits.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('wakes a wait on a later, final exchange of its own session only', async () => {
  const waits = new InspectorWaits();
  const wait = waits.wait('k', 5, 10_000);
  let came: boolean | undefined;
  void wait.arrived.then((value) => {
    came = value;
  });
  assert.equal(waits.arrive('other', 9, 200), 0, 'another session');
  assert.equal(waits.arrive('k', 5, 200), 0, 'not later');
  assert.equal(waits.arrive('k', 7, 303), 0, 'a redirect: the page comes with the next request');
  await tick();
  assert.equal(came, undefined);
  assert.equal(waits.arrive('k', 8, 200), 1, 'one inspection woke');
  assert.equal(await wait.arrived, true);
  wait.end();
});

it('gives up after its wait, and an exchange after that wakes nobody', async () => {
  const waits = new InspectorWaits();
  const wait = waits.wait('k', 0, 30);
  const started = Date.now();
  assert.equal(await wait.arrived, false);
  assert.ok(Date.now() - started >= 25, 'it waited');
  wait.end();
  assert.equal(waits.arrive('k', 1, 200), 0);
});

it('an ended wait is not woken', async () => {
  const waits = new InspectorWaits();
  const wait = waits.wait('k', 0, 10_000);
  wait.end();
  assert.equal(await wait.arrived, false);
  assert.equal(waits.arrive('k', 1, 200), 0);
});

it('parks at most a thousand waits: past that, a wait ends at once', async () => {
  const waits = new InspectorWaits();
  const parked = Array.from({ length: 1_000 }, (_, i) => waits.wait(`k${i}`, 0, 60_000));
  assert.equal(await waits.wait('one-more', 0, 60_000).arrived, false);
  await Promise.all(
    parked.map(async (wait, i) => {
      assert.equal(waits.arrive(`k${i}`, 1, 200), 1);
      assert.equal(await wait.arrived, true);
      wait.end();
    }),
  );
  const again = waits.wait('one-more', 0, 60_000);
  assert.equal(waits.arrive('one-more', 2, 200), 1);
  assert.equal(await again.arrived, true, 'room again once the others ended');
  again.end();
});
