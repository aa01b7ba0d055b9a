import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type pg from 'pg';
import { LockTimeoutError } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import { skipUnless } from '../testing/servers.ts';
import { testStore } from './contract.ts';
import { locationFor } from './locations.ts';
import { postgresStore } from './postgres.ts';
import { harnessSql, testSqlStore } from './sql-contract.ts';

const skip = await skipUnless('postgres');
const url = locationFor('postgres');
// A table per test run, so parallel test files and earlier runs never collide.
const table = `sl_test_${randomBytes(6).toString('hex')}`;
const make = (options: { lockTimeoutSeconds?: number; table?: string } = {}) =>
  postgresStore({ url, lockTimeoutSeconds: options.lockTimeoutSeconds ?? 2, table: options.table ?? table });

let raw: pg.Pool | undefined;
const db = async () => (raw ??= new (await import('pg')).default.Pool({ connectionString: url, max: 2 }));
const sql = harnessSql(table, 'dollar');
const drop = async (name: string) => {
  for (const statement of harnessSql(name, 'dollar').drop) await (await db()).query(statement);
};

after(async () => {
  if (!skip) await drop(table);
  await raw?.end();
});

testStore('postgres', async () => make(), { skip, makeSecond: async () => make() });

const target = new URL(url);
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
    relay: {
      host: target.hostname,
      port: Number(target.port || 5432),
      make(port) {
        const via = new URL(url);
        via.hostname = '127.0.0.1';
        via.port = String(port);
        return postgresStore({ url: via.toString(), lockTimeoutSeconds: 2, table });
      },
    },
  },
  skip,
);

describe('postgres leases', { skip }, () => {
  const persistence = async (name: string) =>
    (await (await db()).query('SELECT relpersistence FROM pg_class WHERE oid = to_regclass($1)', [name]))
      .rows[0]?.relpersistence;

  it('are kept in an UNLOGGED table: taking and giving one flushes nothing to disk', async () => {
    const store = make();
    const release = await store.lock?.(hashId(generateId()));
    await release?.();
    await store.close?.();
    assert.equal(await persistence(`${table}_locks`), 'u');
  });

  it('in a logged table made by an earlier version are converted on start, and a live one still holds', async () => {
    const old = `sl_test_${randomBytes(6).toString('hex')}`;
    const key = hashId(generateId());
    try {
      await (await db()).query(
        `CREATE TABLE ${old}_locks (id_hash varchar(43) COLLATE "C" PRIMARY KEY, owner text NOT NULL, expires_at bigint NOT NULL)`,
      );
      await (await db()).query(`INSERT INTO ${old}_locks VALUES ($1, 'an-earlier-process', $2)`, [
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
      assert.equal(await persistence(`${old}_locks`), 'u');
      await store.close?.();
    } finally {
      await drop(old);
    }
  });
});
