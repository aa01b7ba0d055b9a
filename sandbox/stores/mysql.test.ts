import type { RowDataPacket } from 'mysql2/promise';
import { skipUnless } from '../testing/servers.ts';
import {
  freshTable,
  rawServerClient,
  relayTo,
  storeMaker,
  testSqlStore,
} from '../testing/sql-store-contract.ts';
import { testStore } from '../testing/store-contract.ts';
import { locationFor } from './locations.ts';
import { mysqlStore } from './mysql.ts';
import { checkTable } from './sql-store.ts';

const skip = await skipUnless('mysql');
const url = locationFor('mysql');
// A table per test run, so parallel test files and earlier runs never collide.
const table = freshTable();
const make = storeMaker(mysqlStore, { url }, table);

const { db, drop, sql } = rawServerClient(
  async () =>
    (await import('mysql2/promise')).createPool({ uri: url, charset: 'utf8mb4', connectionLimit: 2 }),
  table,
  'question',
  skip,
);
const select = async (text: string, values: string[] = []) =>
  (await (await db()).execute<RowDataPacket[]>(text, values))[0];

/** How `<table>_locks` is kept: its ENGINE. */
const engineOf = async (name: string) =>
  (
    await select(
      'SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [`${checkTable('test', name)}_locks`],
    )
  )[0]?.ENGINE;

testStore('mysql', async () => make(), {
  skip,
  makeSecond: async () => make(),
  makeLeased: async (o) => make(o),
});

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
    leaseTable: { kept: engineOf, offDisk: 'MEMORY' },
    relay: relayTo(url, 3306, (via) => mysqlStore({ url: via, lockTimeoutSeconds: 2, table })),
  },
  skip,
);
