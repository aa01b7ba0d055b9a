// PostgreSQL: the seed's `session_data` table (§16.7) done right, on a server every process shares.
//
//   CREATE TABLE session_data (id_hash varchar(43) COLLATE "C" PRIMARY KEY, data text,
//                              created_at bigint, expires_at bigint)
//   CREATE UNLOGGED TABLE session_data_locks (id_hash varchar(43) COLLATE "C" PRIMARY KEY, owner text,
//                                             expires_at bigint)
//
// `data` is text, not jsonb: jsonb reorders keys and rejects \u0000, so it would not give back what was
// saved. The key is SHA-256 of the id (no usable token at rest); values travel only as $n placeholders
// (OWASP "SQL Injection Prevention" rule 1); a save is one UPSERT, never the seed's delete-then-insert.
// Statements are named, so each pooled connection parses them once and then only binds values.
import type { Pool, QueryConfig, QueryResultRow } from 'pg';
import type { Store } from '../engine/types.ts';
import { redactUrl } from './locations.ts';
import {
  checkKey,
  checkTable,
  guarded,
  leaseLock,
  type SessionRow,
  type SqlStoreOptions,
  serverLocation,
  sweepSql,
  toParams,
  toRecord,
  toStoredView,
} from './sql-shared.ts';

export const POSTGRES_STORE = 'postgres';

export interface PostgresStoreOptions extends SqlStoreOptions {
  /** `postgres://user:password@host:port/db` */
  url: string;
}

/** A dead server must fail the request in about 2 s, well inside the engine's 5 s store timeout. */
const CONNECT_TIMEOUT_MS = 2_000;

export function postgresStore({
  url,
  lockTimeoutSeconds,
  table: tableOption,
  leaseMs,
}: PostgresStoreOptions): Store {
  // Validated here because the name is spliced into the SQL below (placeholders cannot name tables).
  const table = checkTable(POSTGRES_STORE, tableOption);
  const locks = `${table}_locks`;
  const where = redactUrl(url);
  const location = serverLocation(table, url);
  const selectSql = `SELECT id_hash, data, created_at, expires_at FROM ${table} WHERE id_hash = $1`;
  // Names are per connection and must match one text: the table in the name keeps two stores apart.
  const statement = (name: string, text: string) => ({ name: `sl_${table}_${name}`, text });
  const sql = {
    load: statement('load', selectSql),
    save: statement(
      'save',
      `INSERT INTO ${table} (id_hash, data, created_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id_hash) DO UPDATE SET
         data = EXCLUDED.data, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
    ),
    destroy: statement('destroy', `DELETE FROM ${table} WHERE id_hash = $1`),
    sweep: statement('sweep', sweepSql(table, ['$1', '$2'])),
    sweepLeases: statement('sweep_leases', `DELETE FROM ${locks} WHERE expires_at < $1`),
    // trim: the deadline of the first record beyond the cap (newest first), then everything up to it.
    trimCutoff: statement(
      'trim_cutoff',
      `SELECT expires_at FROM ${table} ORDER BY expires_at DESC LIMIT 1 OFFSET $1`,
    ),
    // Inserts a lease, or takes over one that has run out; rowCount is 0 when a live lease won.
    take: statement(
      'take',
      `INSERT INTO ${locks} (id_hash, owner, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (id_hash) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE ${locks}.expires_at < $4`,
    ),
    renew: statement(
      'renew',
      `UPDATE ${locks} SET expires_at = $1 WHERE id_hash = $2 AND owner = $3 AND expires_at >= $4`,
    ),
    give: statement('give', `DELETE FROM ${locks} WHERE id_hash = $1 AND owner = $2`),
  };
  // Several statements in one simple query run as one transaction; the advisory lock makes two
  // processes starting at once take turns, because concurrent CREATE TABLE IF NOT EXISTS can still
  // fail on pg_type's unique index (a known PostgreSQL race). The leases are UNLOGGED (sql-shared.ts
  // says why); a logged locks table made by an earlier version is converted once, keeping its rows.
  const createSql = `
    SELECT pg_advisory_xact_lock(hashtext('session_lab.${table}'));
    CREATE TABLE IF NOT EXISTS ${table} (
      id_hash varchar(43) COLLATE "C" PRIMARY KEY,
      data text NOT NULL,
      created_at bigint NOT NULL,
      expires_at bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${table}_expires_idx ON ${table} (expires_at);
    CREATE UNLOGGED TABLE IF NOT EXISTS ${locks} (
      id_hash varchar(43) COLLATE "C" PRIMARY KEY,
      owner text NOT NULL,
      expires_at bigint NOT NULL
    );
    DO $$ BEGIN
      IF (SELECT relpersistence FROM pg_class WHERE oid = to_regclass('${locks}')) = 'p' THEN
        ALTER TABLE ${locks} SET UNLOGGED;
      END IF;
    END $$;`;

  let ready: Promise<Pool> | undefined;
  const start = async (): Promise<Pool> => {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // An idle connection that dies (server restart) is reported here and dropped by the pool; the
    // next query opens a fresh one. Without a listener the process would crash (node-postgres "Pool").
    pool.on('error', () => {});
    try {
      await pool.query(createSql);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return pool;
  };
  // A failed start is forgotten, so the next request tries again once the server is back.
  const pool = () =>
    (ready ??= start().catch((error) => {
      ready = undefined;
      throw error;
    }));
  const query = <R extends QueryResultRow>(config: { name: string; text: string }, values: unknown[]) =>
    guarded(POSTGRES_STORE, where, async () =>
      (await pool()).query<R>({ ...config, values } satisfies QueryConfig),
    );

  const lease = leaseLock(
    {
      take: async (k, owner, now, until) => (await query(sql.take, [k, owner, until, now])).rowCount === 1,
      renew: async (k, owner, until) =>
        (await query(sql.renew, [until, k, owner, Date.now()])).rowCount === 1,
      give: async (k, owner) => {
        await query(sql.give, [k, owner]);
      },
    },
    lockTimeoutSeconds,
    leaseMs,
  );

  return {
    name: POSTGRES_STORE,
    async load(key) {
      checkKey(POSTGRES_STORE, key);
      return toRecord((await query<SessionRow>(sql.load, [key])).rows[0]);
    },
    async save(key, record) {
      checkKey(POSTGRES_STORE, key);
      await query(sql.save, toParams(key, record));
    },
    async destroy(key) {
      checkKey(POSTGRES_STORE, key);
      await query(sql.destroy, [key]);
    },
    async sweep(now) {
      // Run-out leases are free to take anyway; deleting them keeps the locks table small.
      await query(sql.sweepLeases, [now]);
      return (await query(sql.sweep, [now, now])).rowCount ?? 0;
    },
    async trim(max) {
      const cutoff = (await query<{ expires_at: string }>(sql.trimCutoff, [max])).rows[0];
      return cutoff ? ((await query(sql.sweep, [cutoff.expires_at, Date.now()])).rowCount ?? 0) : 0;
    },
    async inspect(key) {
      checkKey(POSTGRES_STORE, key);
      const row = (await query(sql.load, [key])).rows[0];
      // bigint columns arrive as strings from pg: shown as they are, that is what the driver returned.
      return row ? toStoredView(POSTGRES_STORE, location, row, selectSql) : null;
    },
    async lock(key) {
      checkKey(POSTGRES_STORE, key);
      return lease.lock(key);
    },
    async close() {
      lease.close();
      const closing = ready;
      ready = undefined;
      const opened = await closing?.catch(() => undefined);
      await opened?.end();
    },
  };
}
