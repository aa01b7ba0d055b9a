import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { createLab, PUBLIC_LIMITS } from './lab-server.ts';

it('refuses to start a public site without a long enough cookie secret, and says how to make one', () => {
  assert.throws(() => createLab({ PUBLIC: '1' }), /PUBLIC=1 needs SESSION_LAB_SECRET.*randomBytes/);
  assert.throws(
    () => createLab({ PUBLIC: '1', SESSION_LAB_SECRET: 'short' }),
    /PUBLIC=1 needs SESSION_LAB_SECRET.*got a secret of 5 characters/,
  );
});

it('refuses a SESSION_LAB_SHARED_URL it cannot use, at start, without printing its password', () => {
  assert.throws(
    () => createLab({ SESSION_LAB_SHARED_URL: 'mysql://root:hunter2@db/test' }),
    (error: Error) =>
      /SESSION_LAB_SHARED_URL must be memory, redis:\/\/… or postgres:\/\/…/.test(error.message) &&
      !error.message.includes('hunter2'),
  );
});

it('runs a public site with the caps stated and the process controls refused', async () => {
  const lab = createLab({ PUBLIC: '1', SESSION_LAB_SECRET: 'x'.repeat(40) });
  const server = createServer((req, res) => {
    if (!lab.router(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const backends = await (await fetch(`${origin}/lab-api/backends?app=counter`)).json();
    assert.equal(backends.publicMode, true);
    assert.deepEqual(backends.limits, PUBLIC_LIMITS);
    const control = await fetch(`${origin}/lab-api/control`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ variant: 'counter/ram/std', action: 'kill' }),
    });
    assert.equal(control.status, 403);
  } finally {
    server.close();
    await lab.manager.stopAll();
  }
});

it('counts the rate limit per visitor: behind a trusted proxy by X-Forwarded-For, and takes SESSION_LAB_RATE_LIMIT', async () => {
  assert.throws(
    () => createLab({ PUBLIC: '1', SESSION_LAB_SECRET: 'x'.repeat(40), SESSION_LAB_RATE_LIMIT: 'lots' }),
    /SESSION_LAB_RATE_LIMIT must be a whole number/,
  );
  const lab = createLab({
    PUBLIC: '1',
    SESSION_LAB_SECRET: 'x'.repeat(40),
    SESSION_LAB_RATE_LIMIT: '3',
    SESSION_LAB_TRUST_PROXY: '1',
  });
  const server = createServer((req, res) => {
    if (!lab.router(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab-api/backends?app=counter`;
  // What nginx sends: whatever the client claimed, then the address nginx saw.
  const from = (visitor: string) => ({ headers: { 'x-forwarded-for': `6.6.6.6, ${visitor}` } });
  try {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(url, from('10.0.0.1'))).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await fetch(url, from('10.0.0.1'));
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    // Another student behind the same proxy has a budget of their own.
    assert.equal((await fetch(url, from('10.0.0.2'))).status, 200);
    assert.equal((await (await fetch(url, from('10.0.0.3'))).json()).limits.requestsPerMinute, 3);
  } finally {
    server.close();
    await lab.manager.stopAll();
  }
});
