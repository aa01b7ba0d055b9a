// MySQL / MariaDB: the seed's own example (§16.7, a `session_data` table in MySQL) done right.
//
//   CREATE TABLE session_data (id_hash VARCHAR(43) ascii_bin PRIMARY KEY, data MEDIUMTEXT utf8mb4,
//                              created_at BIGINT, expires_at BIGINT, INDEX (expires_at))
//   CREATE TABLE session_data_locks (id_hash VARCHAR(43) ascii_bin PRIMARY KEY, owner, expires_at BIGINT)
//     ENGINE=MEMORY
//
// id_hash uses a binary collation: MySQL's default collations ignore case, and base64url keys that
// differ only in case are different sessions. data is utf8mb4 (plain `utf8` is 3-byte and mangles
// emoji) and MEDIUMTEXT (TEXT stops at 64 KB). Values travel only as `?` placeholders through
// `execute`, which prepares each statement once per connection (OWASP "SQL Injection Prevention"
// rule 1); a save is one UPSERT, never the seed's delete-then-insert.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
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

export const MYSQL_STORE = 'mysql';

export interface MysqlStoreOptions extends SqlStoreOptions {
  /** `mysql://user:password@host:port/db` */
  url: string;
}

/** A dead server must fail the request in about 2 s, well inside the engine's 5 s store timeout. */
const CONNECT_TIMEOUT_MS = 2_000;

export function mysqlStore({
  url,
  lockTimeoutSeconds,
  table: tableOption,
  leaseMs,
}: MysqlStoreOptions): Store {
  // Validated here because the name is spliced into the SQL below (placeholders cannot name tables).
  const table = checkTable(MYSQL_STORE, tableOption);
  const locks = `${table}_locks`;
  const where = redactUrl(url);
  const location = serverLocation(table, url);
  const selectSql = `SELECT id_hash, data, created_at, expires_at FROM ${table} WHERE id_hash = ?`;
  const key = 'id_hash VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY';
  const createSql = [
    `CREATE TABLE IF NOT EXISTS ${table} (
      ${key},
      data MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      INDEX ${table}_expires_idx (expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS ${locks} (
      ${key},
      owner VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      expires_at BIGINT NOT NULL
    ) ENGINE=MEMORY`,
  ];
  const sql = {
    load: selectSql,
    // VALUES(col), not MySQL 8's `AS new` alias: MariaDB only understands the former.
    save: `INSERT INTO ${table} (id_hash, data, created_at, expires_at) VALUES (?, ?, ?, ?)
      ON DUPLICATE KEY UPDATE data = VALUES(data), created_at = VALUES(created_at), expires_at = VALUES(expires_at)`,
    destroy: `DELETE FROM ${table} WHERE id_hash = ?`,
    sweep: sweepSql(table, ['?', '?']),
    sweepLeases: `DELETE FROM ${locks} WHERE expires_at < ?`,
    // trim: the deadline of the first record beyond the cap (newest first), then everything up to it.
    trimCutoff: `SELECT expires_at FROM ${table} ORDER BY expires_at DESC LIMIT 1 OFFSET ?`,
    // Inserts a lease, or takes over one that has run out. Assignments run left to right, so the
    // second IF still sees the old expires_at. affectedRows: 1 inserted, 2 taken over, 0 a live
    // lease won (which needs the FOUND_ROWS flag off, see the pool below).
    take: `INSERT INTO ${locks} (id_hash, owner, expires_at) VALUES (?, ?, ?)
      ON DUPLICATE KEY UPDATE owner = IF(expires_at < ?, VALUES(owner), owner),
        expires_at = IF(expires_at < ?, VALUES(expires_at), expires_at)`,
    renew: `UPDATE ${locks} SET expires_at = ? WHERE id_hash = ? AND owner = ? AND expires_at >= ?`,
    give: `DELETE FROM ${locks} WHERE id_hash = ? AND owner = ?`,
    locksEngine: `SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
  };

  // The leases live in memory (sql-shared.ts says why). An InnoDB locks table made by an earlier version
  // is converted once, keeping its rows. A user without the ALTER right keeps it as it is: leases still
  // work, only slower, so the store starts and says so once.
  const keepLeasesInMemory = async (pool: Pool) => {
    const [found] = await pool.execute<RowDataPacket[]>(sql.locksEngine, [locks]);
    if (found[0]?.ENGINE === 'MEMORY') return;
    const alter = `ALTER TABLE ${locks} ENGINE=MEMORY`;
    try {
      await pool.query(alter);
    } catch (error) {
      console.warn(
        `[session-lab] [${MYSQL_STORE}] ${locks} stays ${found[0]?.ENGINE} (${(error as Error).message}): ` +
          `each lease costs a flushed commit. Run \`${alter}\` as a user with the ALTER right.`,
      );
    }
  };

  let ready: Promise<Pool> | undefined;
  const start = async (): Promise<Pool> => {
    const mysql = await import('mysql2/promise');
    const pool = mysql.createPool({
      uri: url,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // utf8mb4 on the wire too, or emoji arrive as '????' (MySQL's `utf8` is 3 bytes per character).
      charset: 'utf8mb4',
      // mysql2 sets FOUND_ROWS by default, which reports an unchanged row as affected and would make a
      // refused lease look taken.
      flags: ['-FOUND_ROWS'],
    });
    try {
      for (const statement of createSql) await pool.query(statement);
      await keepLeasesInMemory(pool);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return pool;
  };
  // A failed start is forgotten, so the next request tries again once the server is back. A pooled
  // connection that dies is dropped by mysql2 and replaced on the next query.
  const pool = () =>
    (ready ??= start().catch((error) => {
      ready = undefined;
      throw error;
    }));
  const rows = (text: string, values: (string | number)[]) =>
    guarded(MYSQL_STORE, where, async () => (await (await pool()).execute<RowDataPacket[]>(text, values))[0]);
  // query(), not execute(), for LIMIT/OFFSET: some MySQL versions refuse them as prepared placeholders;
  // query() still sends the number as an escaped value, never as SQL text of ours.
  const unprepared = (text: string, values: number[]) =>
    guarded(MYSQL_STORE, where, async () => (await (await pool()).query<RowDataPacket[]>(text, values))[0]);
  const change = (text: string, values: (string | number)[]) =>
    guarded(MYSQL_STORE, where, async () => (await (await pool()).execute<ResultSetHeader>(text, values))[0]);

  const lease = leaseLock(
    {
      take: async (k, owner, now, until) =>
        (await change(sql.take, [k, owner, until, now, now])).affectedRows > 0,
      renew: async (k, owner, until) =>
        (await change(sql.renew, [until, k, owner, Date.now()])).affectedRows === 1,
      give: async (k, owner) => {
        await change(sql.give, [k, owner]);
      },
    },
    lockTimeoutSeconds,
    leaseMs,
  );

  return {
    name: MYSQL_STORE,
    async load(key) {
      checkKey(MYSQL_STORE, key);
      return toRecord((await rows(sql.load, [key]))[0] as SessionRow | undefined);
    },
    async save(key, record) {
      checkKey(MYSQL_STORE, key);
      await change(sql.save, toParams(key, record));
    },
    async destroy(key) {
      checkKey(MYSQL_STORE, key);
      await change(sql.destroy, [key]);
    },
    async sweep(now) {
      // Run-out leases are free to take anyway; deleting them keeps the locks table small.
      await change(sql.sweepLeases, [now]);
      return (await change(sql.sweep, [now, now])).affectedRows;
    },
    async trim(max) {
      const cutoff = (await unprepared(sql.trimCutoff, [max]))[0];
      return cutoff ? (await change(sql.sweep, [Number(cutoff.expires_at), Date.now()])).affectedRows : 0;
    },
    async inspect(key) {
      checkKey(MYSQL_STORE, key);
      const row = (await rows(sql.load, [key]))[0];
      return row ? toStoredView(MYSQL_STORE, location, row, selectSql) : null;
    },
    async lock(key) {
      checkKey(MYSQL_STORE, key);
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
