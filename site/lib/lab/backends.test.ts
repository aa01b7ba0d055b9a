// Which backends a demo offers, and what a visitor reads about one that is down: locally the address
// tried (the operator fixes it), on a public site no URL or database user (issue 11 §5).
import assert from 'node:assert/strict';
import { it } from 'node:test';

// A server that is down, at an address whose user must not reach a public page. Set before the module
// reads it; this file runs in a process of its own.
const USER = 'lab_secret_user';
process.env.SESSION_LAB_POSTGRES_URL = `postgres://${USER}@127.0.0.1:1/test`;
const { backendsFor } = await import('./backends.ts');

it('names the URL of a backend that is down locally, and neither URL nor user on a public site', async () => {
  const local = (await backendsFor('counter')).find((backend) => backend.store === 'postgres');
  assert.equal(local?.available, false);
  assert.match(local?.reason ?? '', new RegExp(`not reachable at postgres://${USER}@127\\.0\\.0\\.1:1/test`));
  assert.match(local?.enable ?? '', /SESSION_LAB_POSTGRES_URL/);

  const shown = JSON.stringify(await backendsFor('counter', false));
  const postgres = (await backendsFor('counter', false)).find((backend) => backend.store === 'postgres');
  assert.deepEqual(postgres, {
    store: 'postgres',
    label: 'PostgreSQL',
    available: false,
    reason: 'not reachable from this site',
  });
  assert.doesNotMatch(shown, new RegExp(`${USER}|postgres://|127\\.0\\.0\\.1`));
});
