// G. express-session + connect-pg-simple 10, the PostgreSQL peer of the `postgres` store. Set up as its
// README recommends: a pg.Pool passed as `pool` (pg's defaults, as the store's own pool), and
// `createTableIfMissing` so the run needs no schema step. Its table is `session`; the store's is
// `session_data`, so the two never meet.
import pgSimple from 'connect-pg-simple';
import session from 'express-session';
import pg from 'pg';
import { locationFor, redactUrl } from '../../sandbox/stores/locations.ts';
import { expressCounter } from './express-session.ts';
import { BackendMissing, type CreateServer } from './types.ts';

export const create: CreateServer = async () => {
  const url = locationFor('postgres');
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new BackendMissing(`no PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  const PgStore = pgSimple(session);
  const store = new PgStore({ pool, createTableIfMissing: true });
  return expressCounter(store, async (sids) => {
    if (sids.length > 0) await pool.query('DELETE FROM session WHERE sid = ANY($1)', [sids]);
    await store.close();
    await pool.end();
  });
};
