// MySQL / MariaDB's dialect of the SQL store (sql-store.ts): the seed's own example (§16.7, a
// `session_data` table in MySQL).
//
//   CREATE TABLE session_data (id_hash VARCHAR(43) ascii_bin PRIMARY KEY, data MEDIUMTEXT utf8mb4,
//                              created_at BIGINT, expires_at BIGINT, INDEX (expires_at))
//   CREATE TABLE session_data_locks (id_hash VARCHAR(43) ascii_bin PRIMARY KEY, owner, expires_at BIGINT)
//     ENGINE=MEMORY
//
// id_hash uses a binary collation: MySQL's default collations ignore case, and base64url keys that
// differ only in case are different sessions. data is utf8mb4 (plain `utf8` is 3-byte and mangles
// emoji) and MEDIUMTEXT (TEXT stops at 64 KB). The leases live in memory (lease-lock.ts says why).
// `execute` prepares each statement once per connection.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Store } from '../engine/types.ts';
import {
  type SqlDialect,
  type SqlStatement,
  type SqlStoreOptions,
  type SqlValue,
  serverPlace,
  sqlStore,
} from './sql-store.ts';

export const MYSQL_STORE = 'mysql';

export interface MysqlStoreOptions extends SqlStoreOptions {
  /** `mysql://user:password@host:port/db` */
  url: string;
}

/** A dead server must fail the request in about 2 s, well inside the engine's 5 s store timeout. */
const CONNECT_TIMEOUT_MS = 2_000;

const KEY_COLUMN = 'id_hash VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY';

// query(), not execute(), for LIMIT/OFFSET: some MySQL versions refuse them as prepared placeholders;
// query() still sends the number as an escaped value, never as SQL text of ours.
const run = <R extends RowDataPacket[] | ResultSetHeader>(pool: Pool, s: SqlStatement, values: SqlValue[]) =>
  s.id === 'trimCutoff' ? pool.query<R>(s.text, values) : pool.execute<R>(s.text, values);

export function mysqlDialect(url: string): SqlDialect<Pool> {
  return {
    name: MYSQL_STORE,
    ...serverPlace(url),
    placeholders: 'positional',
    upserts: {
      // VALUES(col), not MySQL 8's `AS new` alias: MariaDB only understands the former.
      save: (table, p) => `INSERT INTO ${table} (id_hash, data, created_at, expires_at)
        VALUES (${p('key')}, ${p('data')}, ${p('createdAt')}, ${p('expiresAt')})
        ON DUPLICATE KEY UPDATE
          data = VALUES(data), created_at = VALUES(created_at), expires_at = VALUES(expires_at)`,
      // Inserts a lease, or takes over one that has run out. Assignments run left to right, so the
      // second IF still sees the old expires_at. Changed rows: 1 inserted, 2 taken over, 0 a live
      // lease won (which needs the FOUND_ROWS flag off, see connect).
      take: (table, p) => `INSERT INTO ${table}_locks (id_hash, owner, expires_at)
        VALUES (${p('key')}, ${p('owner')}, ${p('until')})
        ON DUPLICATE KEY UPDATE owner = IF(expires_at < ${p('now')}, VALUES(owner), owner),
          expires_at = IF(expires_at < ${p('now')}, VALUES(expires_at), expires_at)`,
    },
    async connect() {
      const mysql = await import('mysql2/promise');
      // A pooled connection that dies is dropped by mysql2 and replaced on the next query.
      return mysql.createPool({
        uri: url,
        connectTimeout: CONNECT_TIMEOUT_MS,
        // utf8mb4 on the wire too, or emoji arrive as '????' (MySQL's `utf8` is 3 bytes per character).
        charset: 'utf8mb4',
        // mysql2 sets FOUND_ROWS by default, which reports an unchanged row as affected and would make
        // a refused lease look taken.
        flags: ['-FOUND_ROWS'],
      });
    },
    async createTables(pool, table) {
      await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
          ${KEY_COLUMN},
          data MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL,
          INDEX ${table}_expires_idx (expires_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
      await pool.query(`CREATE TABLE IF NOT EXISTS ${table}_locks (
          ${KEY_COLUMN},
          owner VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
          expires_at BIGINT NOT NULL
        ) ENGINE=MEMORY`);
    },
    end: (pool) => pool.end(),
    rows: async (pool, statement, values) => (await run<RowDataPacket[]>(pool, statement, values))[0],
    changes: async (pool, statement, values) =>
      (await run<ResultSetHeader>(pool, statement, values))[0].affectedRows,
  };
}

export function mysqlStore({ url, ...options }: MysqlStoreOptions): Store {
  return sqlStore(mysqlDialect(url), options);
}
