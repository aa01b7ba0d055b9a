import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { skipUnless } from '../testing/servers.ts';
import { testStore } from './contract.ts';
import { locationFor } from './locations.ts';
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
