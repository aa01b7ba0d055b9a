import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counter } from '../../lessons/07-session-api/counter.ts';
import { ramStore } from '../stores/ram.ts';
import { TestClient } from '../testing/client.ts';
import { defineConfig } from './config.ts';
import { Engine } from './engine.ts';

const count = (text: string) => Number(/<output id="count">(\d+)</.exec(text)?.[1]);

function setup() {
  const engine = new Engine(defineConfig(), ramStore({ maxSessions: 100 }));
  const client = new TestClient((request) => engine.handle(request, counter));
  return { engine, client };
}

describe('the inspector buttons (POST /_lab/…)', () => {
  it('regenerate gives a new id and keeps the count', async () => {
    const { client } = setup();
    await client.get('/');
    const before = client.jar.get('session_lab_id');
    const { response } = await client.post('/_lab/regenerate', {});
    assert.equal(response.status, 204);
    assert.notEqual(client.jar.get('session_lab_id'), before);
    assert.equal(count((await client.get('/')).text), 2);
  });

  it('expire ends the session now: the next visit starts again at 1 with a new id', async () => {
    const { client } = setup();
    await client.get('/');
    await client.get('/');
    const before = client.jar.get('session_lab_id');
    await client.post('/_lab/expire', {});
    const inspected = JSON.parse((await client.get('/_inspect')).text);
    assert.equal(inspected.live, false, 'the record is still there but no longer live');
    assert.equal(count((await client.get('/')).text), 1);
    assert.notEqual(client.jar.get('session_lab_id'), before);
  });

  it('forget drops the cookie but leaves the record for the sweeper', async () => {
    const { client, engine } = setup();
    await client.get('/');
    const old = client.jar.get('session_lab_id');
    const { setCookie } = await client.post('/_lab/forget', {});
    assert.match(setCookie[0] ?? '', /^session_lab_id=; Path=\/; Max-Age=0/);
    assert.equal(client.jar.has('session_lab_id'), false);
    const replay = await engine.inspect(
      new Request('http://session.test/_inspect', { headers: { cookie: `session_lab_id=${old}` } }),
    );
    assert.equal((await replay.json()).live, true);
  });

  it('tamper changes one character, and the server then refuses the cookie', async () => {
    const { client } = setup();
    await client.get('/');
    await client.get('/');
    const before = client.jar.get('session_lab_id') ?? '';
    await client.post('/_lab/tamper', {});
    const after = client.jar.get('session_lab_id') ?? '';
    assert.equal(after.length, before.length);
    assert.equal([...after].filter((c, i) => c !== before[i]).length, 1);
    assert.equal(count((await client.get('/')).text), 1);
  });

  it('an unknown action is a 404', async () => {
    const { client } = setup();
    await client.get('/');
    assert.equal((await client.post('/_lab/explode', {})).response.status, 404);
  });
});
