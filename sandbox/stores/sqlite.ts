// SQLite: the seed's `session_data` table (§16.7) done right, in one file on this machine. Shared by
// every process that opens the same path; the lease lock (sql-shared.ts) keeps them one at a time.
//
//   CREATE TABLE session_data (id_hash TEXT PRIMARY KEY, data TEXT, created_at BIGINT, expires_at BIGINT)
//   CREATE TABLE session_data_locks (id_hash TEXT PRIMARY KEY, owner TEXT, expires_at BIGINT)
//
// The key is SHA-256 of the id, so the file holds no usable token; values only ever travel as
// placeholders (the seed built its SQL with `%s`, OWASP "SQL Injection Prevention" rule 1); a save is
// one UPSERT, never the seed's delete-then-insert, which loses the session to a reader in between.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Store } from '../engine/types.ts';
import {
  checkKey,
  checkTable,
  guarded,
  leaseLock,
  type SessionRow,
  type SqlStoreOptions,
  sweepSql,
  toParams,
  toRecord,
  toStoredView,
} from './sql-shared.ts';

export const SQLITE_STORE = 'sqlite';

export interface SqliteStoreOptions extends SqlStoreOptions {
  /** The database file; its directory is created if missing. `:memory:` works but is not shared. */
  path: string;
}

/** How long a statement waits for another process's write to finish before it fails. */
const BUSY_TIMEOUT_MS = 5_000;

interface Statements {
  db: DatabaseSync;
  load: StatementSync;
  save: StatementSync;
  destroy: StatementSync;
  sweep: StatementSync;
  sweepLeases: StatementSync;
  trimCutoff: StatementSync;
  take: StatementSync;
  renew: StatementSync;
  give: StatementSync;
}

export function sqliteStore({
  path,
  lockTimeoutSeconds,
  table: tableOption,
  leaseMs,
}: SqliteStoreOptions): Store {
  // Validated here because the name is spliced into the SQL below (placeholders cannot name tables).
  const table = checkTable(SQLITE_STORE, tableOption);
  const locks = `${table}_locks`;
  // Every statement's text, written once; values are always `?` placeholders.
  const sql = {
    create: `
        CREATE TABLE IF NOT EXISTS ${table} (
          id_hash TEXT PRIMARY KEY NOT NULL,
          data TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ${table}_expires_idx ON ${table} (expires_at);
        CREATE TABLE IF NOT EXISTS ${locks} (
          id_hash TEXT PRIMARY KEY NOT NULL,
          owner TEXT NOT NULL,
          expires_at BIGINT NOT NULL
        );`,
    load: `SELECT id_hash, data, created_at, expires_at FROM ${table} WHERE id_hash = ?`,
    save: `INSERT INTO ${table} (id_hash, data, created_at, expires_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (id_hash) DO UPDATE SET
             data = excluded.data, created_at = excluded.created_at, expires_at = excluded.expires_at`,
    destroy: `DELETE FROM ${table} WHERE id_hash = ?`,
    sweep: sweepSql(table, ['?', '?']),
    sweepLeases: `DELETE FROM ${locks} WHERE expires_at < ?`,
    // trim: the deadline of the first record beyond the cap (newest first), then everything up to it.
    trimCutoff: `SELECT expires_at FROM ${table} ORDER BY expires_at DESC LIMIT 1 OFFSET ?`,
    // Inserts a lease, or takes over one that has run out; `changes` is 0 when a live lease won.
    take: `INSERT INTO ${locks} (id_hash, owner, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (id_hash) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
           WHERE ${locks}.expires_at < ?`,
    renew: `UPDATE ${locks} SET expires_at = ? WHERE id_hash = ? AND owner = ? AND expires_at >= ?`,
    give: `DELETE FROM ${locks} WHERE id_hash = ? AND owner = ?`,
  };
  const busyTimeout = `PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`;
  const location = `table ${table} in ${path}`;
  let prepared: Statements | undefined;

  // Opened on first use, like the server stores, so a bad path is a 503 naming the variable, not a crash.
  // node:sqlite loads lazily too: only a process that uses this store pays for (and warns about) it.
  const open = async (): Promise<Statements> => {
    if (prepared) return prepared;
    const { DatabaseSync } = await import('node:sqlite');
    if (prepared) return prepared;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    try {
      // busy_timeout first: every statement after it, the WAL switch included, may meet another
      // process's write. WAL lets readers run beside the one writer; synchronous=NORMAL is safe from
      // corruption in WAL mode and skips an fsync per commit (sqlite.org/pragma.html#pragma_synchronous).
      db.exec(busyTimeout);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      // IF NOT EXISTS makes this idempotent; two processes starting at once wait on busy_timeout.
      db.exec(sql.create);
      prepared = {
        db,
        load: db.prepare(sql.load),
        save: db.prepare(sql.save),
        destroy: db.prepare(sql.destroy),
        sweep: db.prepare(sql.sweep),
        sweepLeases: db.prepare(sql.sweepLeases),
        trimCutoff: db.prepare(sql.trimCutoff),
        take: db.prepare(sql.take),
        renew: db.prepare(sql.renew),
        give: db.prepare(sql.give),
      };
      return prepared;
    } catch (error) {
      db.close();
      throw error;
    }
  };
  const run = <T>(work: (s: Statements) => T): Promise<T> =>
    guarded(SQLITE_STORE, path, async () => work(await open()));

  const lease = leaseLock(
    {
      take: (k, owner, now, until) => run((s) => Number(s.take.run(k, owner, until, now).changes) === 1),
      renew: (k, owner, until) => run((s) => Number(s.renew.run(until, k, owner, Date.now()).changes) === 1),
      give: async (k, owner) => {
        await run((s) => s.give.run(k, owner));
      },
    },
    lockTimeoutSeconds,
    leaseMs,
  );

  return {
    name: SQLITE_STORE,
    async load(key) {
      checkKey(SQLITE_STORE, key);
      return toRecord((await run((s) => s.load.get(key))) as SessionRow | undefined);
    },
    async save(key, record) {
      checkKey(SQLITE_STORE, key);
      await run((s) => s.save.run(...toParams(key, record)));
    },
    async destroy(key) {
      checkKey(SQLITE_STORE, key);
      await run((s) => s.destroy.run(key));
    },
    async sweep(now) {
      return run((s) => {
        // Run-out leases are free to take anyway; deleting them keeps the locks table small.
        s.sweepLeases.run(now);
        return Number(s.sweep.run(now, now).changes);
      });
    },
    async trim(max) {
      return run((s) => {
        const cutoff = s.trimCutoff.get(max) as { expires_at: number } | undefined;
        return cutoff ? Number(s.sweep.run(cutoff.expires_at, Date.now()).changes) : 0;
      });
    },
    async inspect(key) {
      checkKey(SQLITE_STORE, key);
      const row = (await run((s) => s.load.get(key))) as object | undefined;
      return row ? toStoredView(SQLITE_STORE, location, row, sql.load) : null;
    },
    async lock(key) {
      checkKey(SQLITE_STORE, key);
      return lease.lock(key);
    },
    async close() {
      lease.close();
      prepared?.db.close();
      prepared = undefined;
    },
  };
}
