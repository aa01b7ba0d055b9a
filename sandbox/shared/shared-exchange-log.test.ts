import assert from 'node:assert/strict';
import { it } from 'node:test';
import { hashId } from '../engine/ids.ts';
import type { ExchangeRecord } from '../inspector/exchange-log.ts';
import { memorySharedState } from './memory-shared-state.ts';
import { sharedExchangeLog } from './shared-exchange-log.ts';
import type { SharedState } from './shared-state.ts';
import { WriteBehind } from './write-behind.ts';

const exchange = (path: string, setCookie: string[] = []): ExchangeRecord => ({
  at: 1,
  method: 'GET',
  path,
  status: 200,
  cookieHeader: 'session_lab_id=abc…',
  setCookie,
  rejected: 'none',
});

it('shows on one log what another recorded, with the Set-Cookie lines of an earlier exchange', async () => {
  const shared = memorySharedState();
  const [a, b] = [sharedExchangeLog(shared), sharedExchangeLog(shared)];
  const key = hashId('some-session-id');
  assert.equal(await b.get(key), null);
  a.record(key, exchange('/first', ['session_lab_id=abc…; Path=/; HttpOnly']));
  await a.flush();
  b.record(key, exchange('/second'));
  await b.flush();
  const seen = await a.get(key);
  assert.equal(seen?.path, '/second', 'the newest exchange, recorded by the other log');
  assert.deepEqual(seen?.cookiesAsSet, ['session_lab_id=abc…; Path=/; HttpOnly']);
});

it('never throws at a request while the store is down: logs once, and the inspector falls back to this process', async () => {
  const down = new Error('connect ECONNREFUSED 127.0.0.1:6379');
  const broken: SharedState = {
    location: 'redis://127.0.0.1:6379',
    get: () => Promise.reject(down),
    set: () => Promise.reject(down),
    increment: () => Promise.reject(down),
    append: () => Promise.reject(down),
    list: () => Promise.reject(down),
    close: async () => {},
  };
  const lines: string[] = [];
  const log = sharedExchangeLog(broken, (line) => lines.push(line));
  const key = hashId('another-session-id');
  for (let i = 0; i < 5; i++) log.record(key, exchange(`/page-${i}`));
  await log.flush();
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0] ?? '', /inspector exchanges \(redis:\/\/127\.0\.0\.1:6379\): connect ECONNREFUSED/);
  assert.equal((await log.get(key))?.path, '/page-4');
});

it('drops writes past the limit in flight instead of piling them up, and says so once', async () => {
  const lines: string[] = [];
  const writes = new WriteBehind({ label: 'test', maxPending: 2, log: (line) => lines.push(line) });
  let started = 0;
  let finish: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    finish = resolve;
  });
  for (let i = 0; i < 5; i++)
    writes.later(() => {
      started++;
      return gate;
    });
  finish();
  await writes.flush();
  assert.equal(started, 2);
  assert.deepEqual(lines, [
    '[session-lab] test: 2 writes waiting; dropping new ones',
    '[session-lab] test: writing again (3 writes were dropped)',
  ]);
});

it("shows this process's own newer exchange while its write is still on the way", async () => {
  const shared = memorySharedState();
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let gated = false;
  // Writes wait at the gate once it is closed, as a slow Redis would make them.
  const slow: SharedState = {
    ...shared,
    set: async (...args) => {
      if (gated) await gate;
      return shared.set(...args);
    },
  };
  const log = sharedExchangeLog(slow);
  const key = hashId('a-session-id');
  log.record(key, { ...exchange('/first'), at: 1 });
  await log.flush();
  gated = true;
  log.record(key, { ...exchange('/second'), at: 2 });
  assert.equal(((await shared.get(`exchange:${key}`)) as { path: string }).path, '/first');
  assert.equal((await log.get(key))?.path, '/second', 'not the older shared copy');
  open();
  await log.flush();
  assert.equal((await log.get(key))?.path, '/second');
});
