import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, it } from 'node:test';
import { MIN_LEASED_LOCK_TIMEOUT } from '../engine/config.ts';
import { generateId, hashId } from '../engine/ids.ts';
import { harnessSql, storeMaker, testSqlStore } from '../testing/sql-store-contract.ts';
import { testStore } from '../testing/store-contract.ts';
import { sqliteStore } from './sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'session-lab-sqlite-'));
// A nested, not-yet-existing directory: the store must create it.
const path = join(dir, 'nested', 'sessions.sqlite');
const table = `sl_test_${process.pid}`;
const sql = harnessSql(table, 'question');
const make = storeMaker(sqliteStore, { path }, table);

let raw: DatabaseSync | undefined;
// Opened on first use: the file exists only once a store has written to it.
const db = () => (raw ??= new DatabaseSync(path));

after(() => {
  raw?.close();
  rmSync(dir, { recursive: true, force: true });
});

testStore('sqlite', async () => make(), { makeSecond: async () => make(), makeLeased: async (o) => make(o) });

testSqlStore(
  'sqlite',
  {
    make,
    async row(key) {
      const row = db().prepare(sql.row).get(key);
      return row ? { ...row } : undefined;
    },
    async count() {
      return Number(db().prepare(sql.count).get()?.n);
    },
    async corrupt(key, data) {
      db().prepare(sql.corrupt).run(data, key);
    },
    async expireLease(key) {
      db().prepare(sql.expireLease).run(key);
    },
    async drop(name) {
      for (const statement of harnessSql(name, 'question').drop) db().exec(statement);
    },
    // A path below a regular file can never be created.
    makeDown: () => sqliteStore({ path: '/dev/null/sessions.sqlite', lockTimeoutSeconds: 1 }),
    env: 'SESSION_LAB_SQLITE_PATH',
  },
  false,
);

it('frees a session soon after the process holding its lock is killed with SIGKILL mid-request', async () => {
  const k = hashId(generateId());
  const script = `
    const { sqliteStore } = await import(${JSON.stringify(new URL('./sqlite.ts', import.meta.url).href)});
    const store = sqliteStore({ path: ${JSON.stringify(path)}, table: ${JSON.stringify(table)}, lockTimeoutSeconds: 6 });
    await store.lock(${JSON.stringify(k)});
    process.stdout.write('locked');
    setInterval(() => {}, 60_000); // a request that never ends`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      void exited.then(() => reject(new Error(`the child exited before locking: ${stderr}`)));
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  // The shortest lockTimeout the config accepts: the dead holder's lease lapses before it runs out.
  const store = make({ lockTimeoutSeconds: MIN_LEASED_LOCK_TIMEOUT });
  try {
    assert.ok(store.lock);
    await (await store.lock(k))();
  } finally {
    await store.close?.();
  }
});
