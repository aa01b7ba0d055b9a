// Reads the `session_data` table the visitor's session really lives in, for the db-store page: the
// custom store's own SQLite file, or the table of the built-in sqlite, postgres or mysql store
// (sandbox/stores/*.ts: id_hash, data, created_at, expires_at in ms). One tiny reader per backend;
// drivers load only when that backend is chosen, and every failure becomes a StoreUnavailableError
// whose message the page shows in place of the table. With `showLocations = false` (a public site)
// neither the place nor a failure names a path, database URL or user.
import { existsSync } from 'node:fs';
import type { SessionConfig } from '../../sandbox/engine/config.ts';
import { StoreUnavailableError, withTimeout } from '../../sandbox/engine/errors.ts';
import {
  locationFor,
  placeWithoutLocation,
  redactUrl,
  SERVER_DEFAULTS,
} from '../../sandbox/stores/locations.ts';
import type { SessionFunctions, SessionRow } from './session-functions.ts';

export interface TableReader {
  /** Where the table is, safe to print (passwords redacted; only the kind of place without showLocations). */
  readonly where: string;
  /** At most `limit` rows, the most recently extended first. */
  read(limit: number): Promise<SessionRow[]>;
  close(): Promise<void>;
}

/** The backends that keep a `session_data` table: the custom store's own SQLite file, or a built-in store. */
type TableKind = 'custom' | 'sqlite' | 'postgres' | 'mysql';

/** The page must not hang on a dead server: give up after this long. */
const READ_TIMEOUT_MS = 3_000;
const CONNECT_TIMEOUT_MS = 2_000;
// Whole statements, not pieces: the only value (the row limit) is always a placeholder.
const SELECT_QMARK =
  'SELECT id_hash, data, created_at, expires_at FROM session_data ORDER BY expires_at DESC LIMIT ?';
const SELECT_DOLLAR =
  'SELECT id_hash, data, created_at, expires_at FROM session_data ORDER BY expires_at DESC LIMIT $1';

/** The reader for the configured store, or null for stores that keep no table (ram, file, cookie, redis). */
export function tableReaderFor(config: SessionConfig, custom: SessionFunctions): TableReader | null {
  const shown = config.showLocations;
  switch (config.storageType) {
    case 'custom':
      return reader('custom', custom.path, shown, async (limit) => custom.listSessionRows(limit));
    case 'sqlite':
      return sqliteReader(locationFor('sqlite', config), shown);
    case 'postgres':
      return postgresReader(locationFor('postgres', config), shown);
    case 'mysql':
      return mysqlReader(locationFor('mysql', config), shown);
    default:
      return null;
  }
}

function sqliteReader(path: string, shown: boolean): TableReader {
  let db: import('node:sqlite').DatabaseSync | undefined;
  return reader(
    'sqlite',
    path,
    shown,
    async (limit) => {
      // Opening a missing file would create an empty one; say instead that the store has not made it yet.
      if (!db && !existsSync(path)) throw new Error('no such table: the database file does not exist yet');
      if (!db) {
        const { DatabaseSync } = await import('node:sqlite');
        db = new DatabaseSync(path);
        db.exec('PRAGMA busy_timeout = 2000');
      }
      return db.prepare(SELECT_QMARK).all(limit).map(toRow);
    },
    async () => db?.close(),
  );
}

function postgresReader(url: string, shown: boolean): TableReader {
  let pool: Promise<import('pg').Pool> | undefined;
  const open = async () => {
    const { default: pg } = await import('pg');
    const created = new pg.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: READ_TIMEOUT_MS,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle connection dropped by the server emits 'error'; unhandled, that would end the process.
    created.on('error', () => {});
    return created;
  };
  return reader(
    'postgres',
    url,
    shown,
    async (limit) => {
      pool ??= open();
      const result = await (await pool).query(SELECT_DOLLAR, [limit]);
      return result.rows.map(toRow);
    },
    async () => {
      await (await pool)?.end();
    },
  );
}

function mysqlReader(url: string, shown: boolean): TableReader {
  let pool: Promise<import('mysql2/promise').Pool> | undefined;
  const open = async () => {
    const mysql = await import('mysql2/promise');
    return mysql.createPool({
      uri: url,
      connectionLimit: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      idleTimeout: 10_000,
    });
  };
  return reader(
    'mysql',
    url,
    shown,
    async (limit) => {
      pool ??= open();
      // query(), not execute(): prepared `LIMIT ?` is rejected by some MySQL versions; query() still
      // sends the value through mysql2's escaping, never by string building here.
      const [rows] = await (await pool).query(SELECT_QMARK, [limit]);
      return (rows as Record<string, unknown>[]).map(toRow);
    },
    async () => {
      await (await pool)?.end();
    },
  );
}

/** Wraps a backend's read with a timeout and turns any failure into one clear error. */
function reader(
  kind: TableKind,
  location: string,
  shown: boolean,
  read: (limit: number) => Promise<SessionRow[]>,
  close: () => Promise<void> = async () => {},
): TableReader {
  const where = shown
    ? `table session_data in ${redactUrl(location)}`
    : placeWithoutLocation(kind === 'custom' ? 'sqlite' : kind, 'session_data');
  return {
    where,
    async read(limit) {
      try {
        return await withTimeout(kind, READ_TIMEOUT_MS, read(limit));
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error;
        throw explain(kind, where, error, shown);
      }
    },
    close,
  };
}

function explain(kind: TableKind, where: string, cause: unknown, shown: boolean): StoreUnavailableError {
  const error = cause as { message?: string; code?: string } | undefined;
  // A refused connection to `localhost` can be an AggregateError with an empty message; its code is not.
  const said = error?.message || error?.code || String(cause);
  const missing = /no such table|does not exist|doesn't exist|ER_NO_SUCH_TABLE/i.test(
    `${said} ${error?.code ?? ''}`,
  );
  // A driver's words can name a path, a host or a user ("password authentication failed for user …").
  const reason = shown ? said : missing ? 'the table does not exist yet' : 'the database did not answer';
  const hint = missing
    ? 'The store creates the table when it saves its first session: visit once more.'
    : kind === 'custom' || kind === 'sqlite'
      ? 'Check that the directory is writable.'
      : `Start the server or set ${SERVER_DEFAULTS[kind].env}.`;
  return new StoreUnavailableError(kind, `could not read ${where}: ${reason}`, hint, { cause });
}

/** Drivers differ: pg returns BIGINT as text, JSON columns come back parsed, ids may be buffers. */
function toRow(row: Record<string, unknown>): SessionRow {
  const text = (value: unknown) =>
    typeof value === 'string'
      ? value
      : Buffer.isBuffer(value)
        ? value.toString('utf8')
        : JSON.stringify(value ?? null);
  return {
    idHash: text(row.id_hash),
    data: text(row.data),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}
