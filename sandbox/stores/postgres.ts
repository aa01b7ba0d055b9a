// PostgreSQL's dialect of the SQL store (sql-store.ts), on a server every process shares.
//
//   CREATE TABLE session_data (id_hash varchar(43) COLLATE "C" PRIMARY KEY, data text,
//                              created_at bigint, expires_at bigint)
//   CREATE UNLOGGED TABLE session_data_locks (id_hash varchar(43) COLLATE "C" PRIMARY KEY, owner text,
//                                             expires_at bigint)
//
// `data` is text, not jsonb: jsonb reorders keys and rejects \u0000, so it would not give back what was
// saved. The leases are UNLOGGED (lease-lock.ts says why). Statements are named, so each pooled
// connection parses them once and then only binds values.
import type { Pool } from 'pg';
import type { Store } from '../engine/types.ts';
import { type SqlDialect, type SqlStoreOptions, serverPlace, sqlStore } from './sql-store.ts';

export const POSTGRES_STORE = 'postgres';

export interface PostgresStoreOptions extends SqlStoreOptions {
  /** `postgres://user:password@host:port/db` */
  url: string;
}

/** A dead server must fail the request in about 2 s, well inside the engine's 5 s store timeout. */
const CONNECT_TIMEOUT_MS = 2_000;

/** A pool on `url` (the store's, and the site's shared state with a small `max`). */
export async function openPostgresPool(url: string, max?: number): Promise<Pool> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, max });
  // An idle connection that dies (server restart) is reported here and dropped by the pool; the
  // next query opens a fresh one. Without a listener the process would crash (node-postgres "Pool").
  pool.on('error', () => {});
  return pool;
}

/**
 * Several statements in one simple query run as one transaction; the advisory lock makes two processes
 * starting at once take turns, because concurrent CREATE TABLE IF NOT EXISTS can still fail on
 * pg_type's unique index (a known PostgreSQL race).
 */
export const createTablesSql = (lockName: string, statements: string) => `
  SELECT pg_advisory_xact_lock(hashtext('session_lab.${lockName}'));
  ${statements}`;

export function postgresDialect(url: string): SqlDialect<Pool> {
  return {
    name: POSTGRES_STORE,
    ...serverPlace(url),
    placeholders: 'numbered',
    connect: () => openPostgresPool(url),
    async createTables(pool, table) {
      await pool.query(
        createTablesSql(
          table,
          `CREATE TABLE IF NOT EXISTS ${table} (
            id_hash varchar(43) COLLATE "C" PRIMARY KEY,
            data text NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL
          );
          CREATE INDEX IF NOT EXISTS ${table}_expires_idx ON ${table} (expires_at);
          CREATE UNLOGGED TABLE IF NOT EXISTS ${table}_locks (
            id_hash varchar(43) COLLATE "C" PRIMARY KEY,
            owner text NOT NULL,
            expires_at bigint NOT NULL
          );`,
        ),
      );
    },
    end: (pool) => pool.end(),
    // Names are per connection and must match one text: the table in the name keeps two stores apart.
    rows: async (pool, { name, text }, values) => (await pool.query({ name, text, values })).rows,
    changes: async (pool, { name, text }, values) => (await pool.query({ name, text, values })).rowCount ?? 0,
  };
}

export function postgresStore({ url, ...options }: PostgresStoreOptions): Store {
  return sqlStore(postgresDialect(url), options);
}
