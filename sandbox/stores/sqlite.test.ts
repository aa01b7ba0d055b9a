import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after } from 'node:test';
import { testStore } from './contract.ts';
import { testSqlStore } from './sql-contract.ts';
import { sqliteStore } from './sqlite.ts';

const dir = mkdtempSync(join(tmpdir(), 'session-lab-sqlite-'));
// A nested, not-yet-existing directory: the store must create it.
const path = join(dir, 'nested', 'sessions.sqlite');
const table = `sl_test_${process.pid}`;
const make = (options: { lockTimeoutSeconds?: number; table?: string } = {}) =>
  sqliteStore({ path, lockTimeoutSeconds: options.lockTimeoutSeconds ?? 2, table: options.table ?? table });

let raw: DatabaseSync | undefined;
// Opened on first use: the file exists only once a store has written to it.
const db = () => (raw ??= new DatabaseSync(path));

after(() => {
  raw?.close();
  rmSync(dir, { recursive: true, force: true });
});

testStore('sqlite', async () => make(), { makeSecond: async () => make() });

testSqlStore(
  'sqlite',
  {
    make,
    async row(key) {
      const row = db().prepare(`SELECT * FROM ${table} WHERE id_hash = ?`).get(key);
      return row ? { ...row } : undefined;
    },
    async count() {
      return Number(db().prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n);
    },
    async corrupt(key, data) {
      db().prepare(`UPDATE ${table} SET data = ? WHERE id_hash = ?`).run(data, key);
    },
    async expireLease(key) {
      db().prepare(`UPDATE ${table}_locks SET expires_at = 0 WHERE id_hash = ?`).run(key);
    },
    async drop(name) {
      db().exec(`DROP TABLE IF EXISTS ${name}; DROP TABLE IF EXISTS ${name}_locks;`);
    },
    // A path below a regular file can never be created.
    makeDown: () => sqliteStore({ path: '/dev/null/sessions.sqlite', lockTimeoutSeconds: 1 }),
    env: 'SESSION_LAB_SQLITE_PATH',
  },
  false,
);
