import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineConfig } from '../../sandbox/engine/config.ts';
import { Engine } from '../../sandbox/engine/engine.ts';
import { ramStore } from '../../sandbox/stores/ram.ts';
import { TestClient } from '../../sandbox/testing/client.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { slowCounter } from './slow-counter.ts';

const count = (text: string) => Number(/<output id="count">(\d+)</.exec(text)?.[1]);

async function burst(locking: 'auto' | 'none', requests: number): Promise<number> {
  const config = defineConfig({ locking });
  const engine = new Engine(config, ramStore({ maxSessions: 10 }), createTransport(config));
  const client = new TestClient((request) => engine.handle(request, slowCounter));
  await client.get('/'); // 1: the session and its cookie exist before the burst
  await Promise.all(Array.from({ length: requests }, () => client.get('/')));
  return count((await client.get('/')).text);
}

describe('20 parallel clicks on the slow counter', () => {
  it('with locking on, count every one of them', async () => {
    assert.equal(await burst('auto', 20), 22);
  });

  it('with locking off, lose most of them (each request overwrote the others)', async () => {
    const final = await burst('none', 20);
    assert.ok(final < 22, `expected lost updates, got ${final}`);
  });
});
