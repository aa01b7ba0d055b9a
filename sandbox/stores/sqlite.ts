// SQLite's dialect of the SQL store (sql-store.ts), in one file on this machine. Shared by every process
// that opens the same path; the lease lock (lease-lock.ts) keeps them one at a time.
//
//   CREATE TABLE session_data (id_hash TEXT PRIMARY KEY, data TEXT, created_at BIGINT, expires_at BIGINT)
//   CREATE TABLE session_data_locks (id_hash TEXT PRIMARY KEY, owner TEXT, expires_at BIGINT)
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Store } from '../engine/types.ts';
import { type SqlDialect, type SqlStatement, type SqlStoreOptions, sqlStore } from './sql-store.ts';

export const SQLITE_STORE = 'sqlite';

export interface SqliteStoreOptions extends SqlStoreOptions {
  /** The database file; its directory is created if missing. `:memory:` works but is not shared. */
  path: string;
}

/** How long a statement waits for another process's write to finish before it fails. */
const BUSY_TIMEOUT_MS = 5_000;

/** The open database and its statements, each prepared on first use. */
interface Database {
  db: DatabaseSync;
  prepared: Map<string, StatementSync>;
}

const prepare = ({ db, prepared }: Database, { id, text }: SqlStatement): StatementSync => {
  const known = prepared.get(id);
  if (known) return known;
  const statement = db.prepare(text);
  prepared.set(id, statement);
  return statement;
};

export function sqliteDialect(path: string): SqlDialect<Database> {
  return {
    name: SQLITE_STORE,
    where: path,
    location: (table) => `table ${table} in ${path}`,
    placeholders: 'positional',
    // Opened on first use, like the server stores, so a bad path is a 503 naming the variable, not a
    // crash. node:sqlite loads lazily too: only a process that uses this store pays for (and warns about) it.
    async connect() {
      const { DatabaseSync } = await import('node:sqlite');
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      return { db: new DatabaseSync(path), prepared: new Map() };
    },
    createTables({ db }, table) {
      // busy_timeout first: every statement after it, the WAL switch included, may meet another
      // process's write. WAL lets readers run beside the one writer; synchronous=NORMAL is safe from
      // corruption in WAL mode and skips an fsync per commit (sqlite.org/pragma.html#pragma_synchronous).
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      // IF NOT EXISTS makes this idempotent; two processes starting at once wait on busy_timeout.
      db.exec(`
        CREATE TABLE IF NOT EXISTS ${table} (
          id_hash TEXT PRIMARY KEY NOT NULL,
          data TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ${table}_expires_idx ON ${table} (expires_at);
        CREATE TABLE IF NOT EXISTS ${table}_locks (
          id_hash TEXT PRIMARY KEY NOT NULL,
          owner TEXT NOT NULL,
          expires_at BIGINT NOT NULL
        );`);
    },
    end: ({ db }) => db.close(),
    rows: (database, statement, values) => prepare(database, statement).all(...values),
    changes: (database, statement, values) => Number(prepare(database, statement).run(...values).changes),
  };
}

export function sqliteStore({ path, ...options }: SqliteStoreOptions): Store {
  return sqlStore(sqliteDialect(path), options);
}
