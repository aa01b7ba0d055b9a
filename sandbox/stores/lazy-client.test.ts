// The lazy client on its own, with a stand-in client that counts what happens to it. The SQL store
// tests and the shared-state contract exercise it on the real servers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazyClient } from './lazy-client.ts';

/** A client factory whose next connects or set-ups can be made to fail. */
function parts() {
  const log: string[] = [];
  const state = { failConnect: 0, failSetUp: 0, made: 0 };
  return {
    log,
    state,
    parts: {
      async connect() {
        if (state.failConnect-- > 0) throw new Error('server down');
        state.made += 1;
        log.push(`connect ${state.made}`);
        return { id: state.made };
      },
      async setUp(client: { id: number }) {
        if (state.failSetUp-- > 0) throw new Error('cannot create tables');
        log.push(`set up ${client.id}`);
      },
      async end(client: { id: number }) {
        log.push(`end ${client.id}`);
      },
    },
  };
}

describe('lazyClient', () => {
  it('connects on first use only, once for calls that arrive together', async () => {
    const { parts: p, log } = parts();
    const client = lazyClient(p);
    assert.deepEqual(log, []);
    const [a, b] = await Promise.all([client.get(), client.get()]);
    assert.equal(a, b);
    assert.equal(await client.get(), a);
    assert.deepEqual(log, ['connect 1', 'set up 1']);
  });

  it('forgets a failed connect, so the next call tries again', async () => {
    const { parts: p, state } = parts();
    state.failConnect = 1;
    const client = lazyClient(p);
    await assert.rejects(client.get(), /server down/);
    assert.deepEqual(await client.get(), { id: 1 });
  });

  it('ends a client whose set-up failed, and starts afresh on the next call', async () => {
    const { parts: p, state, log } = parts();
    state.failSetUp = 1;
    const client = lazyClient(p);
    await assert.rejects(client.get(), /cannot create tables/);
    assert.deepEqual(await client.get(), { id: 2 });
    assert.deepEqual(log, ['connect 1', 'end 1', 'connect 2', 'set up 2']);
  });

  it('ends the client on close, and connects again if used after it', async () => {
    const { parts: p, log } = parts();
    const client = lazyClient(p);
    await client.close(); // never opened: nothing to end
    await client.get();
    await client.close();
    assert.deepEqual(await client.get(), { id: 2 });
    assert.deepEqual(log, ['connect 1', 'set up 1', 'end 1', 'connect 2', 'set up 2']);
  });
});
