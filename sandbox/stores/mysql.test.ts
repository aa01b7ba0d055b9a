import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { LockTimeoutError } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import { skipOrFail, skipUnless } from '../testing/servers.ts';
import { testStore } from './contract.ts';
import { locationFor, redactUrl } from './locations.ts';
import { mysqlStore } from './mysql.ts';
import { harnessSql, testSqlStore } from './sql-contract.ts';

const skip = await skipUnless('mysql');
const url = locationFor('mysql');
// A table per test run, so parallel test files and earlier runs never collide.
const table = `sl_test_${randomBytes(6).toString('hex')}`;
const make = (options: { lockTimeoutSeconds?: number; table?: string } = {}) =>
  mysqlStore({ url, lockTimeoutSeconds: options.lockTimeoutSeconds ?? 2, table: options.table ?? table });

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

testStore('mysql', async () => make(), { skip, makeSecond: async () => make() });

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

describe('mysql leases', { skip }, () => {
  const engineOf = async (name: string) =>
    (
      await select(
        'SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
        [name],
      )
    )[0]?.ENGINE;

  it('are kept in a MEMORY table: taking and giving one flushes nothing to disk', async () => {
    const store = make();
    const release = await store.lock?.(hashId(generateId()));
    await release?.();
    await store.close?.();
    assert.equal(await engineOf(`${table}_locks`), 'MEMORY');
  });

  it('in an InnoDB table made by an earlier version are converted on start, and a live one still holds', async () => {
    const old = `sl_test_${randomBytes(6).toString('hex')}`;
    const key = hashId(generateId());
    try {
      await (await db()).query(
        `CREATE TABLE ${old}_locks (id_hash VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
          owner VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, expires_at BIGINT NOT NULL) ENGINE=InnoDB`,
      );
      await (await db()).execute(`INSERT INTO ${old}_locks VALUES (?, 'an-earlier-process', ?)`, [
        key,
        Date.now() + 60_000,
      ]);
      const store = make({ table: old, lockTimeoutSeconds: 0.3 });
      assert.ok(store.lock, 'a SQL store has a cross-process lock');
      await assert.rejects(
        store.lock(key),
        LockTimeoutError,
        'the lease an earlier process left still holds',
      );
      assert.equal(await engineOf(`${old}_locks`), 'MEMORY');
      await store.close?.();
    } finally {
      await drop(old);
    }
  });
  it('in an InnoDB table this user may not alter stay InnoDB: the store still starts, locks, and says why once', async (t) => {
    const old = `sl_test_${randomBytes(6).toString('hex')}`;
    const user = old; // a user of its own, with every right the store needs but ALTER
    try {
      await (await db()).query(`CREATE USER '${user}'@'%'`);
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
      await (await db()).query(
        `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, INDEX ON \`${database}\`.* TO '${user}'@'%'`,
      );
      await (await db()).query(
        `CREATE TABLE ${old}_locks (id_hash VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
          owner VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL, expires_at BIGINT NOT NULL) ENGINE=InnoDB`,
      );
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
      assert.equal(await engineOf(`${old}_locks`), 'InnoDB');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', new RegExp(`ALTER TABLE ${old}_locks ENGINE=MEMORY`));
    } finally {
      console.warn = warn;
      await (await db()).query(`DROP USER '${user}'@'%'`);
      await drop(old);
    }
  });
});
