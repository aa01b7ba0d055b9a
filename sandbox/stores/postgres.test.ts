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
import { postgresStore } from './postgres.ts';
import { checkTable } from './sql-store.ts';

const skip = await skipUnless('postgres');
const url = locationFor('postgres');
// A table per test run, so parallel test files and earlier runs never collide.
const table = freshTable();
const make = storeMaker(postgresStore, { url }, table);

const { db, drop, sql } = rawServerClient(
  async () => new (await import('pg')).default.Pool({ connectionString: url, max: 2 }),
  table,
  'dollar',
  skip,
);

testStore('postgres', async () => make(), {
  skip,
  makeSecond: async () => make(),
  makeLeased: async (o) => make(o),
});

testSqlStore(
  'postgres',
  {
    make,
    async row(key) {
      return (await (await db()).query(sql.row, [key])).rows[0];
    },
    async count() {
      return Number((await (await db()).query(sql.count)).rows[0].n);
    },
    async corrupt(key, data) {
      await (await db()).query(sql.corrupt, [data, key]);
    },
    async expireLease(key) {
      await (await db()).query(sql.expireLease, [key]);
    },
    drop,
    makeDown: () =>
      postgresStore({ url: 'postgres://postgres:secret@127.0.0.1:1/test', lockTimeoutSeconds: 1 }),
    env: 'SESSION_LAB_POSTGRES_URL',
    leaseTable: {
      async kept(name) {
        const locks = `${checkTable('test', name)}_locks`;
        const found = await (await db()).query(
          'SELECT relpersistence FROM pg_class WHERE oid = to_regclass($1)',
          [locks],
        );
        return found.rows[0]?.relpersistence;
      },
      offDisk: 'u', // UNLOGGED; 'p' is a logged (permanent) table
    },
    relay: relayTo(url, 5432, (via) => postgresStore({ url: via, lockTimeoutSeconds: 2, table })),
  },
  skip,
);
