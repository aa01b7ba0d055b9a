import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { defineConfig } from '../../sandbox/engine/config.ts';
import { generateId, hashId } from '../../sandbox/engine/ids.ts';
import type { SessionRecord } from '../../sandbox/engine/types.ts';
import { customStore } from '../../sandbox/stores/custom.ts';
import { testStore } from '../../sandbox/testing/store-contract.ts';
import { CUSTOM_STORE_ENV, customStorePath, sessionFunctions } from './session-functions.ts';

const dir = mkdtempSync(join(tmpdir(), 'session-functions-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = (data: SessionRecord['data']): SessionRecord => ({
  data,
  createdAt: Date.now(),
  expiresAt: Date.now() + 60_000,
});

// The three functions, wrapped by the engine's custom store, pass the contract every store passes.
testStore('custom (session-functions.ts)', async () => {
  const functions = sessionFunctions(join(dir, 'contract.sqlite'));
  return {
    ...customStore({
      save: functions.saveSessionData,
      load: functions.loadSessionData,
      destroy: functions.deleteSessionData,
    }),
    close: async () => functions.close(),
  };
});

describe('session-functions', () => {
  const path = join(dir, 'functions.sqlite');
  const functions = sessionFunctions(path);
  after(() => functions.close());

  it('keeps one row per session however often it is saved (one UPSERT, no duplicates)', () => {
    const id = hashId(generateId());
    functions.saveSessionData(id, record({ counter: 1 }));
    functions.saveSessionData(id, record({ counter: 2 }));
    const rows = functions.listSessionRows(1_000).filter((row) => row.idHash === id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.data, '{"counter":2}');
    assert.deepEqual(functions.loadSessionData(id)?.data, { counter: 2 });
  });

  it('loads null for an id it never saw', () => {
    assert.equal(functions.loadSessionData(hashId(generateId())), null);
  });

  it('loads null, not a crash, for a row whose data is not a JSON object', () => {
    const raw = new DatabaseSync(path);
    try {
      const insert = raw.prepare('INSERT INTO session_data VALUES (?, ?, ?, ?)');
      const later = Date.now() + 60_000;
      insert.run('torn', '{"counter": 1', Date.now(), later);
      insert.run('array', '[1, 2]', Date.now(), later);
      insert.run('pickle', 'gAJ9cQBYBwAAAGNvdW50ZXJxAUsBcy4=', Date.now(), later);
    } finally {
      raw.close();
    }
    for (const id of ['torn', 'array', 'pickle']) assert.equal(functions.loadSessionData(id), null, id);
  });

  it('stores SQL text as data: the table survives it', () => {
    const id = hashId(generateId());
    const note = '\'); DROP TABLE session_data;-- " \\ `';
    functions.saveSessionData(id, record({ note }));
    assert.deepEqual(functions.loadSessionData(id)?.data, { note });
    assert.ok(functions.listSessionRows(1_000).length >= 1, 'the table is still there');
  });

  it('deletes a session', () => {
    const id = hashId(generateId());
    functions.saveSessionData(id, record({ counter: 1 }));
    functions.deleteSessionData(id);
    assert.equal(functions.loadSessionData(id), null);
  });

  it('deletes expired rows, then trims to a cap the rows closest to expiry first', () => {
    const [dead, soon, later, latest] = [0, 1, 2, 3].map(() => hashId(generateId()));
    const far = Date.now() + 10 * 86_400_000; // after every other row in this file
    functions.saveSessionData(dead ?? '', { data: { n: 0 }, createdAt: 0, expiresAt: Date.now() - 1 });
    for (const [i, id] of [soon, later, latest].entries())
      functions.saveSessionData(id ?? '', { data: { n: i }, createdAt: 0, expiresAt: far + i });
    assert.ok(functions.deleteExpiredSessionData(Date.now()) >= 1);
    assert.equal(functions.loadSessionData(dead ?? ''), null);
    assert.ok(functions.trimSessionData(2) >= 1);
    assert.equal(functions.loadSessionData(soon ?? ''), null);
    assert.deepEqual(functions.loadSessionData(later ?? '')?.data, { n: 1 });
    assert.deepEqual(functions.loadSessionData(latest ?? '')?.data, { n: 2 });
    assert.equal(functions.trimSessionData(2), 0);
  });
});

describe('customStorePath', () => {
  it('uses databaseUrl only for the custom store, else a file of its own', () => {
    const previous = process.env[CUSTOM_STORE_ENV];
    delete process.env[CUSTOM_STORE_ENV];
    try {
      const custom = defineConfig({ storageType: 'custom', databaseUrl: '/tmp/mine.sqlite' });
      assert.equal(customStorePath(custom), '/tmp/mine.sqlite');
      const postgres = defineConfig({ storageType: 'postgres', databaseUrl: 'postgres://db/x' });
      assert.match(customStorePath(postgres), /custom-store\.sqlite$/);
      assert.match(customStorePath(defineConfig({ storageType: 'custom' })), /custom-store\.sqlite$/);
    } finally {
      if (previous !== undefined) process.env[CUSTOM_STORE_ENV] = previous;
    }
  });
});
