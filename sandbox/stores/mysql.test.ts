import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { generateId, hashId } from '../engine/ids.ts';
import { skipOrFail, skipUnless } from '../testing/servers.ts';
import { testStore } from './contract.ts';
import { locationFor, redactUrl } from './locations.ts';
import { mysqlStore } from './mysql.ts';
import { freshTable, harnessSql, testSqlStore } from './sql-contract.ts';
import { checkTable } from './sql-shared.ts';

const skip = await skipUnless('mysql');
const url = locationFor('mysql');
// A table per test run, so parallel test files and earlier runs never collide.
const table = freshTable();
const make = (options: { lockTimeoutSeconds?: number; table?: string; leaseMs?: number } = {}) =>
  mysqlStore({
    url,
    lockTimeoutSeconds: options.lockTimeoutSeconds ?? 2,
    table: options.table ?? table,
    leaseMs: options.leaseMs,
  });

let raw: Pool | undefined;
const db = async () =>
  (raw ??= (await import('mysql2/promise')).createPool({ uri: url, charset: 'utf8mb4', connectionLimit: 2 }));
const select = async (text: string, values: string[] = []) =>
  (await (await db()).execute<RowDataPacket[]>(text, values))[0];
const sql = harnessSql(table, 'question');
const drop = async (name: string) => {
  for (const statement of harnessSql(name, 'question').drop) await (await db()).query(statement);
};

after(async () => {
  if (!skip) await drop(table);
  await raw?.end();
});

/** How `<table>_locks` is kept: its ENGINE. */
const engineOf = async (name: string) =>
  (
    await select(
      'SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [`${checkTable('test', name)}_locks`],
    )
  )[0]?.ENGINE;

/** `<table>_locks` as an earlier version made it (InnoDB), holding another process's live lease on `key`. */
async function makeEarlier(name: string, key: string): Promise<void> {
  await (await db()).query(
    `CREATE TABLE ${checkTable('test', name)}_locks (id_hash VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      owner VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, expires_at BIGINT NOT NULL) ENGINE=InnoDB`,
  );
  await (await db()).execute(harnessSql(name, 'question').leaseOfOther, [key, Date.now() + 60_000]);
}

testStore('mysql', async () => make(), {
  skip,
  makeSecond: async () => make(),
  makeLeased: async (o) => make(o),
});

const target = new URL(url);
testSqlStore(
  'mysql',
  {
    make,
    async row(key) {
      const row = (await select(sql.row, [key]))[0];
      return row ? { ...row } : undefined;
    },
    async count() {
      return Number((await select(sql.count))[0]?.n);
    },
    async corrupt(key, data) {
      await (await db()).execute(sql.corrupt, [data, key]);
    },
    async expireLease(key) {
      await (await db()).execute(sql.expireLease, [key]);
    },
    drop,
    makeDown: () => mysqlStore({ url: 'mysql://root:secret@127.0.0.1:1/test', lockTimeoutSeconds: 1 }),
    env: 'SESSION_LAB_MYSQL_URL',
    leaseTable: { kept: engineOf, offDisk: 'MEMORY', makeEarlier },
    relay: {
      host: target.hostname,
      port: Number(target.port || 3306),
      make(port) {
        const via = new URL(url);
        via.hostname = '127.0.0.1';
        via.port = String(port);
        return mysqlStore({ url: via.toString(), lockTimeoutSeconds: 2, table });
      },
    },
  },
  skip,
);

describe('mysql leases, for a user without the ALTER right', { skip }, () => {
  it('in an InnoDB table this user may not alter stay InnoDB: the store still starts, locks, and says why once', async (t) => {
    const old = freshTable();
    const user = old; // a user of its own, with every right the store needs but ALTER
    try {
      await (await db()).query('CREATE USER ?@?', [user, '%']);
    } catch (error) {
      t.skip(
        skipOrFail(`the account in ${redactUrl(url)} may not create users (${(error as Error).message})`),
      );
      return;
    }
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      const database = new URL(url).pathname.slice(1);
      await (await db()).query('GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, INDEX ON ??.* TO ?@?', [
        database,
        user,
        '%',
      ]);
      await makeEarlier(old, hashId(generateId()));
      const limited = new URL(url);
      limited.username = user;
      limited.password = '';
      const store = mysqlStore({ url: limited.toString(), lockTimeoutSeconds: 0.3, table: old });
      try {
        const key = hashId(generateId());
        await (await store.lock?.(key))?.();
        await (await store.lock?.(key))?.();
      } finally {
        await store.close?.();
      }
      assert.equal(await engineOf(old), 'InnoDB');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', new RegExp(`ALTER TABLE ${old}_locks ENGINE=MEMORY`));
    } finally {
      console.warn = warn;
      await (await db()).query('DROP USER ?@?', [user, '%']);
      await drop(old);
    }
  });
});
