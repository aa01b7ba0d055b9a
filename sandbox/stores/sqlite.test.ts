import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after } from 'node:test';
import { testStore } from './contract.ts';
import { harnessSql, testSqlStore } from './sql-contract.ts';
import { sqliteStore } from './sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'session-lab-sqlite-'));
// A nested, not-yet-existing directory: the store must create it.
const path = join(dir, 'nested', 'sessions.sqlite');
const table = `sl_test_${process.pid}`;
const sql = harnessSql(table, 'question');
const make = (options: { lockTimeoutSeconds?: number; table?: string; leaseMs?: number } = {}) =>
  sqliteStore({
    path,
    lockTimeoutSeconds: options.lockTimeoutSeconds ?? 2,
    table: options.table ?? table,
    leaseMs: options.leaseMs,
  });

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
