// Regressions every SQL store passes on top of contract.ts. Each test file supplies a harness that
// reads and writes its table with its own raw client, so the checks look at the real rows.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it, mock } from 'node:test';
import { LockTimeoutError, StoreUnavailableError } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import type { SessionRecord, Store } from '../engine/types.ts';
import { lazyClient } from '../stores/lazy-client.ts';
import { checkTable, type SqlStoreOptions } from '../stores/sql-store.ts';
import { MemoryCookies } from './cookies.ts';
import { HOSTILE_TEXT } from './store-contract.ts';
import { startTcpProxy } from './tcp-proxy.ts';

/**
 * The statements a harness reads its test table with. A table name cannot be a placeholder, so it is
 * written into the text, as the stores do, and only after `checkTable` accepted it; values stay
 * placeholders (`$1` for PostgreSQL, `?` for the others).
 */
export function harnessSql(table: string, placeholders: 'dollar' | 'question') {
  const name = checkTable('test', table);
  const [p1, p2] = placeholders === 'dollar' ? ['$1', '$2'] : ['?', '?'];
  return {
    row: `SELECT * FROM ${name} WHERE id_hash = ${p1}`,
    count: `SELECT count(*) AS n FROM ${name}`,
    corrupt: `UPDATE ${name} SET data = ${p1} WHERE id_hash = ${p2}`,
    expireLease: `UPDATE ${name}_locks SET expires_at = 0 WHERE id_hash = ${p1}`,
    /** Both tables; SQLite takes them one statement at a time. */
    drop: [`DROP TABLE IF EXISTS ${name}`, `DROP TABLE IF EXISTS ${name}_locks`],
  };
}

/** What a test may change of the store it makes. */
export type MakeOptions = Partial<SqlStoreOptions>;

/** A harness's `make`: `factory` on `table` with `place` (its URL or path), a 2 s lock timeout unless told. */
export const storeMaker =
  <P>(factory: (options: SqlStoreOptions & P) => Store, place: P, table: string) =>
  (options: MakeOptions = {}): Store =>
    factory({
      ...place,
      lockTimeoutSeconds: options.lockTimeoutSeconds ?? 2,
      table: options.table ?? table,
      leaseMs: options.leaseMs,
    });

/** A harness's `relay`: the server `url` names, and a store (from `make`) that reaches it on `port`. */
export function relayTo(url: string, defaultPort: number, make: (url: string) => Store): SqlHarness['relay'] {
  const target = new URL(url);
  return {
    host: target.hostname,
    port: Number(target.port || defaultPort),
    make(port) {
      const via = new URL(url);
      via.hostname = '127.0.0.1';
      via.port = String(port);
      return make(via.toString());
    },
  };
}

/** A server harness's raw client (a pool of the test's own), opened on first use. After the test file it
 * drops the test table (unless the server was skipped) and ends. */
export function rawServerClient<C extends { query(text: string): Promise<unknown>; end(): Promise<void> }>(
  connect: () => Promise<C>,
  table: string,
  placeholders: 'dollar' | 'question',
  skip: string | false,
) {
  const client = lazyClient({ connect, end: (c) => c.end() });
  const drop = async (name: string) => {
    for (const statement of harnessSql(name, placeholders).drop) await (await client.get()).query(statement);
  };
  after(async () => {
    if (!skip) await drop(table);
    await client.close();
  });
  return { db: client.get, drop, sql: harnessSql(table, placeholders) };
}

export interface SqlHarness {
  /** A store on the test's table (or on `table`), with a short lock timeout unless told otherwise. */
  make(options?: MakeOptions): Store;
  /** Every column of the key's row, as the raw client returns it. */
  row(key: string): Promise<Record<string, unknown> | undefined>;
  /** Rows in the test table; fails if the table is gone. */
  count(): Promise<number>;
  /** Overwrites the row's data column with text of our choosing. */
  corrupt(key: string, data: string): Promise<void>;
  /** Moves the key's lease into the past, as if its holder had been killed a lease ago. */
  expireLease(key: string): Promise<void>;
  /** Drops `table` and its locks table. */
  drop(table: string): Promise<void>;
  /** A store whose server is not there (closed port, unwritable path). */
  makeDown(): Store;
  /** The variable the error hint must name. */
  env: string;
  /** Server stores: the real server's address and a store that reaches it on another port. */
  relay?: { host: string; port: number; make(port: number): Store };
  /** Stores whose leases skip the disk (PostgreSQL UNLOGGED, MySQL MEMORY). */
  leaseTable?: LeaseTableHarness;
}

export interface LeaseTableHarness {
  /** How `<table>_locks` is kept: PostgreSQL's relpersistence, MySQL's ENGINE. */
  kept(table: string): Promise<unknown>;
  /** What `kept` says of a locks table that skips the disk. */
  offDisk: string;
}

/** A table of a test's own, dropped by the test. */
export const freshTable = () => `sl_test_${randomBytes(6).toString('hex')}`;

const cookies = new MemoryCookies();
const key = () => hashId(generateId());
const lock = (store: Store, k: string) => {
  assert.ok(store.lock, 'a SQL store has a cross-process lock');
  return store.lock(k);
};
const record = (data: SessionRecord['data'], expiresAt = Date.now() + 60_000): SessionRecord => ({
  data,
  createdAt: Date.now(),
  expiresAt,
});

export function testSqlStore(name: string, h: SqlHarness, skip: string | false): void {
  describe(`${name} as a SQL store`, { skip }, () => {
    it("stores the seed's hostile text byte for byte and leaves the table standing (seed §16.7)", async () => {
      const store = h.make();
      try {
        const k = key();
        const saved = record({ z: 1, a: HOSTILE_TEXT });
        await store.save(k, saved, cookies);
        const before = await h.count();
        assert.ok(before >= 1);
        assert.deepEqual(await store.load(k, cookies), saved);
        // Text, not jsonb: key order and the escaped NUL survive exactly as written.
        assert.equal((await h.row(k))?.data, JSON.stringify(saved.data));
        assert.equal(await h.count(), before);
      } finally {
        await store.close?.();
      }
    });

    it('files a session under the hash of its id; no column holds the id itself', async () => {
      const store = h.make();
      try {
        const id = generateId();
        await store.save(hashId(id), record({ n: 1 }), cookies);
        const row = await h.row(hashId(id));
        assert.ok(row);
        assert.equal(row.id_hash, hashId(id));
        for (const [column, value] of Object.entries(row)) {
          assert.ok(!String(value).includes(id), `column ${column} holds the raw id`);
        }
      } finally {
        await store.close?.();
      }
    });

    it('keeps two keys that differ only in letter case apart (a case-insensitive collation would merge them)', async () => {
      const store = h.make();
      try {
        const lower = `a${key().slice(1)}`;
        const upper = `A${lower.slice(1)}`;
        await store.save(lower, record({ who: 'lower' }), cookies);
        await store.save(upper, record({ who: 'upper' }), cookies);
        assert.deepEqual((await store.load(lower, cookies))?.data, { who: 'lower' });
        assert.deepEqual((await store.load(upper, cookies))?.data, { who: 'upper' });
      } finally {
        await store.close?.();
      }
    });

    it('loads a row whose data is not a JSON object as missing, and still shows it to the inspector', async () => {
      const store = h.make();
      try {
        const k = key();
        await store.save(k, record({ n: 1 }), cookies);
        await h.corrupt(k, '{"n": 1, "torn');
        assert.equal(await store.load(k, cookies), null);
        assert.equal(JSON.parse((await store.inspect?.(k, cookies))?.raw ?? '{}').data, '{"n": 1, "torn');
        await h.corrupt(k, '[1, 2]');
        assert.equal(await store.load(k, cookies), null);
      } finally {
        await store.close?.();
      }
    });

    it('shows the inspector the row as stored and a SELECT with a placeholder, not the key', async () => {
      const store = h.make();
      try {
        const k = key();
        await store.save(k, record({ marker: 'row' }), cookies);
        const form = await store.inspect?.(k, cookies);
        assert.ok(form);
        assert.equal(JSON.parse(form.raw).id_hash, k);
        assert.equal(JSON.parse(JSON.parse(form.raw).data).marker, 'row');
        const sql = String(form.details?.sql);
        assert.match(sql, /^SELECT .* WHERE id_hash = (\?|\$1)$/);
        assert.ok(!sql.includes(k));
      } finally {
        await store.close?.();
      }
    });

    it('accepts only a plain table name, since it is spliced into the SQL text', () => {
      assert.throws(() => h.make({ table: 'session_data; DROP TABLE session_data' }), TypeError);
      assert.throws(() => h.make({ table: 'Session_Data' }), TypeError);
      // One past the 48-character limit that keeps derived names inside PostgreSQL's 63 bytes.
      assert.throws(() => h.make({ table: 'a'.repeat(49) }), TypeError);
    });

    it('rejects a key that is not a hash before touching the table', async () => {
      const store = h.make();
      try {
        await assert.rejects(store.load('../../etc/passwd', cookies), TypeError);
        await assert.rejects(store.save("x' OR '1'='1", record({}), cookies), TypeError);
      } finally {
        await store.close?.();
      }
    });

    it('times out a second lock while the first is held', async () => {
      const store = h.make({ lockTimeoutSeconds: 0.2 });
      try {
        const k = key();
        const first = await lock(store, k);
        await assert.rejects(lock(store, k), LockTimeoutError);
        await first();
        await (await lock(store, k))();
      } finally {
        await store.close?.();
      }
    });

    it('lets a run-out lease be taken over, and the old holder cannot free the new lease (cherrypy#604)', async () => {
      const store = h.make({ lockTimeoutSeconds: 0.2 });
      try {
        const k = key();
        const stale = await lock(store, k);
        await h.expireLease(k);
        const fresh = await lock(store, k);
        await stale(); // deletes only its own lease, which is no longer there
        await assert.rejects(lock(store, k), LockTimeoutError);
        await fresh();
        await (await lock(store, k))();
      } finally {
        await store.close?.();
      }
    });

    it('renews only its own lease: a holder whose lease was taken over does not keep the new one alive', async () => {
      const lease = 300;
      const stale = h.make({ leaseMs: lease, lockTimeoutSeconds: 1 });
      const fresh = h.make({ leaseMs: lease, lockTimeoutSeconds: 1 });
      const third = h.make({ leaseMs: lease, lockTimeoutSeconds: 2 });
      const warn = mock.method(console, 'warn', () => {});
      try {
        const k = key();
        const release = await lock(stale, k);
        await h.expireLease(k); // as if `stale` had stalled past its lease
        await lock(fresh, k);
        await fresh.close?.(); // the new holder dies without giving its lease back
        // `stale` keeps trying to renew; renewing the new holder's row would block `third` for good.
        await (await lock(third, k))();
        await release();
        assert.ok(warn.mock.callCount() >= 1, 'the holder that lost its lease said so');
      } finally {
        warn.mock.restore();
        await stale.close?.();
        await fresh.close?.();
        await third.close?.();
      }
    });

    it('creates its tables once when two instances start at the same moment', async () => {
      const table = `sl_race_${generateId()
        .slice(0, 8)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '_')}`;
      const [a, b] = [h.make({ table }), h.make({ table })];
      try {
        const [k1, k2] = [key(), key()];
        await Promise.all([
          a.save(k1, record({ by: 'a' }), cookies),
          b.save(k2, record({ by: 'b' }), cookies),
        ]);
        assert.deepEqual((await b.load(k1, cookies))?.data, { by: 'a' });
      } finally {
        await a.close?.();
        await b.close?.();
        await h.drop(table);
      }
    });

    it('rejects with StoreUnavailableError naming the variable when its server is not there', async () => {
      const store = h.makeDown();
      try {
        for (const call of [() => store.load(key(), cookies), () => store.save(key(), record({}), cookies)]) {
          await assert.rejects(call(), (error: unknown) => {
            assert.ok(error instanceof StoreUnavailableError, String(error));
            assert.equal(error.status, 503);
            assert.ok(error.hint.includes(h.env), error.hint);
            assert.ok(!error.message.includes('secret'), `password leaked: ${error.message}`);
            assert.ok(error.cause);
            return true;
          });
        }
      } finally {
        await store.close?.();
      }
    });

    const relay = h.relay;
    if (relay) {
      it('fails while the server is gone and recovers by itself when it is back (reference test 37)', async () => {
        const proxy = await startTcpProxy(relay.host, relay.port);
        const store = relay.make(proxy.port);
        try {
          const k = key();
          await store.save(k, record({ n: 1 }), cookies);
          proxy.down();
          await assert.rejects(store.load(k, cookies), StoreUnavailableError);
          proxy.up();
          assert.deepEqual((await store.load(k, cookies))?.data, { n: 1 });
        } finally {
          await store.close?.();
          await proxy.close();
        }
      });

      it('gives back a lease it could not release while the server was gone, before locking that session again', async () => {
        const proxy = await startTcpProxy(relay.host, relay.port);
        const store = relay.make(proxy.port); // lockTimeout 2 s: shorter than the 5 s lease
        const other = h.make({ lockTimeoutSeconds: 0.3 });
        try {
          const k = key();
          const release = await lock(store, k);
          proxy.down();
          await assert.rejects(release(), StoreUnavailableError);
          proxy.up();
          // The lease is still in the table: another process has to wait for it...
          await assert.rejects(lock(other, k), LockTimeoutError);
          // ...but the process that took it returns it first, instead of waiting for it to run out.
          await (await lock(store, k))();
          await (await lock(other, k))();
        } finally {
          await store.close?.();
          await other.close?.();
          await proxy.close();
        }
      });
    }

    const leases = h.leaseTable;
    if (leases) {
      it('keeps its leases in a table that skips the disk: taking and giving one flushes nothing', async () => {
        const table = freshTable();
        const store = h.make({ table });
        try {
          await (await lock(store, key()))();
          assert.equal(await leases.kept(table), leases.offDisk);
        } finally {
          await store.close?.();
          await h.drop(table);
        }
      });
    }
  });
}
