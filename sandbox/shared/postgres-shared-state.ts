// The site's shared state in PostgreSQL, shared by every site instance and demo worker pointed at it.
//
//   session_lab_site_values   (key PRIMARY KEY, value text, expires_at bigint)   get / set
//   session_lab_site_counters (key PRIMARY KEY, count bigint, expires_at bigint)  increment
//   session_lab_site_lists    (id bigserial, key, value text, expires_at bigint)  append / list
//
// Times are the database's (`statement_timestamp()` in ms), so instances with different clocks still
// share one rate-limit window. A counter is one UPSERT (atomic under concurrency: the row is locked
// while it is updated); an append is one statement that trims the list and inserts. Values travel only
// as $n placeholders. Rows that ran out are invisible at once and deleted every 5 minutes.
import type { Pool, QueryResultRow } from 'pg';
import type { JsonValue } from '../engine/types.ts';
import { lazyClient } from '../stores/lazy-client.ts';
import { redactUrl } from '../stores/locations.ts';
import { createTablesSql, openPostgresPool } from '../stores/postgres.ts';
import {
  checkPositive,
  checkSharedStateKey,
  type SharedState,
  SharedStateUnavailableError,
} from './shared-state.ts';

export interface PostgresSharedStateOptions {
  /** `postgres://user:password@host:port/db` */
  url: string;
}

const SWEEP_MS = 5 * 60_000;
/** Each demo worker opens its own pool: two connections are plenty for shared state. */
const POOL_SIZE = 2;
const NOW = `(extract(epoch FROM statement_timestamp()) * 1000)::bigint`;

const CREATE = createTablesSql(
  'session_lab_site',
  `CREATE TABLE IF NOT EXISTS session_lab_site_values (
    key text COLLATE "C" PRIMARY KEY, value text NOT NULL, expires_at bigint NOT NULL);
  CREATE TABLE IF NOT EXISTS session_lab_site_counters (
    key text COLLATE "C" PRIMARY KEY, count bigint NOT NULL, expires_at bigint NOT NULL);
  CREATE TABLE IF NOT EXISTS session_lab_site_lists (
    id bigserial PRIMARY KEY, key text COLLATE "C" NOT NULL, value text NOT NULL, expires_at bigint NOT NULL);
  CREATE INDEX IF NOT EXISTS session_lab_site_lists_key_idx ON session_lab_site_lists (key, id);`,
);

const SQL = {
  get: `SELECT value FROM session_lab_site_values WHERE key = $1 AND expires_at > ${NOW}`,
  set: `INSERT INTO session_lab_site_values (key, value, expires_at) VALUES ($1, $2, ${NOW} + $3)
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
  // A window that ran out starts over at 1; a live one counts on and keeps its end.
  increment: `
    INSERT INTO session_lab_site_counters AS c (key, count, expires_at) VALUES ($1, 1, ${NOW} + $2)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN c.expires_at <= ${NOW} THEN 1 ELSE c.count + 1 END,
      expires_at = CASE WHEN c.expires_at <= ${NOW} THEN EXCLUDED.expires_at ELSE c.expires_at END
    RETURNING count, expires_at - ${NOW} AS reset_in_ms`,
  // Keeps the newest keep-1 live items (renewed to the list's new end of life) and adds one. The kept
  // and the deleted rows are disjoint: one statement must not both update and delete a row.
  append: `
    WITH kept AS (
      SELECT id FROM session_lab_site_lists WHERE key = $1 AND expires_at > ${NOW}
      ORDER BY id DESC LIMIT $3::int - 1
    ), trimmed AS (
      DELETE FROM session_lab_site_lists WHERE key = $1 AND id NOT IN (SELECT id FROM kept)
    ), renewed AS (
      UPDATE session_lab_site_lists SET expires_at = ${NOW} + $4 WHERE id IN (SELECT id FROM kept)
    )
    INSERT INTO session_lab_site_lists (key, value, expires_at) VALUES ($1, $2, ${NOW} + $4)`,
  list: `SELECT value FROM session_lab_site_lists WHERE key = $1 AND expires_at > ${NOW} ORDER BY id`,
  sweep: `
    DELETE FROM session_lab_site_values WHERE expires_at <= ${NOW};
    DELETE FROM session_lab_site_counters WHERE expires_at <= ${NOW};
    DELETE FROM session_lab_site_lists WHERE expires_at <= ${NOW};`,
};

export function postgresSharedState({ url }: PostgresSharedStateOptions): SharedState {
  const location = redactUrl(url);
  let sweeper: NodeJS.Timeout | undefined;
  const client = lazyClient<Pool>({
    connect: () => openPostgresPool(url, POOL_SIZE),
    async setUp(pool) {
      await pool.query(CREATE);
      sweeper = setInterval(() => void pool.query(SQL.sweep).catch(() => {}), SWEEP_MS);
      sweeper.unref();
    },
    end: (pool) => pool.end(),
  });
  const query = async <R extends QueryResultRow>(key: string, text: string, values: unknown[]) => {
    checkSharedStateKey(key);
    try {
      return (await (await client.get()).query<R>(text, values)).rows;
    } catch (error) {
      throw new SharedStateUnavailableError(location, error);
    }
  };
  return {
    location,
    async get(key) {
      const row = (await query<{ value: string }>(key, SQL.get, [key]))[0];
      return row ? (JSON.parse(row.value) as JsonValue) : null;
    },
    async set(key, value, ttlMs) {
      checkPositive('TTL', ttlMs);
      await query(key, SQL.set, [key, JSON.stringify(value), ttlMs]);
    },
    async increment(key, windowMs) {
      checkPositive('window', windowMs);
      const rows = await query<{ count: string; reset_in_ms: string }>(key, SQL.increment, [key, windowMs]);
      // bigint columns arrive as strings from pg.
      return { count: Number(rows[0]?.count), resetInMs: Number(rows[0]?.reset_in_ms) };
    },
    async append(key, value, keep, ttlMs) {
      checkPositive('list size', keep);
      checkPositive('TTL', ttlMs);
      await query(key, SQL.append, [key, JSON.stringify(value), keep, ttlMs]);
    },
    async list(key) {
      return (await query<{ value: string }>(key, SQL.list, [key])).map(
        (row) => JSON.parse(row.value) as JsonValue,
      );
    },
    async close() {
      clearInterval(sweeper);
      await client.close();
    },
  };
}
