import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WORKER_HEADER } from '../../../sandbox/cli/proxy.ts';
import { DemoManager } from './manager.ts';
import { createLabRouter } from './router.ts';
import { defaultVariant } from './variant.ts';

const countOf = (page: string) => Number(/<output id="count">(\d+)<\/output>/.exec(page)?.[1]);

it('a one-worker demo: straight to its worker, a clear 502 while it is down, its new port after the restart', async () => {
  const manager = new DemoManager({ maxRunning: 2, idleMinutes: 15 });
  const server = createServer((req, res) => {
    if (!createdRouter(req, res)) res.writeHead(404).end();
  });
  const createdRouter = createLabRouter({ manager, controls: true, publicMode: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab/counter/ram/std/`;
  const variant = defaultVariant('counter');
  try {
    const first = await fetch(page);
    const cookie = first.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    assert.equal(countOf(await first.text()), 1);
    const before = (await manager.status(variant)).workers[0];
    // The header the inspector reads is there although the sandbox's proxy was skipped.
    assert.equal(first.headers.get(WORKER_HEADER), String(before?.pid));
    const second = await fetch(page, { headers: { cookie } });
    assert.equal(countOf(await second.text()), 2);

    await manager.control(variant, 'kill', 0);
    const down = await fetch(page, { headers: { cookie } });
    assert.equal(down.status, 502);
    assert.match(await down.text(), /role="alert".*(process that is down|demo server is down)/s);

    let after = (await manager.status(variant)).workers[0];
    for (let waited = 0; after?.state !== 'ready' && waited < 15_000; waited += 50) {
      await sleep(50);
      after = (await manager.status(variant)).workers[0];
    }
    assert.equal(after?.state, 'ready');
    assert.notEqual(after?.port, before?.port);
    const back = await fetch(page, { headers: { cookie } });
    assert.equal(back.status, 200);
    assert.equal(back.headers.get(WORKER_HEADER), String(after?.pid));
    // A RAM store lives in the process: the crash took the count with it.
    assert.equal(countOf(await back.text()), 1);
  } finally {
    server.close();
    await manager.stopAll();
  }
});

it('a prefetch never reaches the demo: 503, and the count does not move (GETs here change the session)', async () => {
  const manager = new DemoManager({ maxRunning: 2, idleMinutes: 15 });
  const route = createLabRouter({ manager, controls: true, publicMode: false });
  const server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab/counter/ram/std/`;
  try {
    const first = await fetch(page);
    const cookie = first.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    assert.equal(countOf(await first.text()), 1);
    const speculations: Record<string, string>[] = [
      { 'sec-purpose': 'prefetch' },
      { 'sec-purpose': 'prefetch;prerender' },
      { purpose: 'prefetch' },
    ];
    for (const headers of speculations) {
      const speculative = await fetch(page, { headers: { cookie, ...headers } });
      assert.equal(speculative.status, 503);
      assert.equal(speculative.headers.get('cache-control'), 'no-store');
      await speculative.text();
    }
    const visit = await fetch(page, { headers: { cookie } });
    assert.equal(countOf(await visit.text()), 2, 'only real visits counted');
  } finally {
    server.close();
    await manager.stopAll();
  }
});
