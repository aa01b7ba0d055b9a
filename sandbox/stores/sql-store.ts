// The SQL store, written once: the seed's `session_data` table (§16.7) done right. PostgreSQL, MySQL and
// SQLite each give it a dialect (postgres.ts, mysql.ts, sqlite.ts): how to connect, create the tables,
// run a statement and read its rows or its count of changed rows, and the UPSERTs they spell apart.
//
//   <table>       (id_hash PRIMARY KEY, data text, created_at bigint, expires_at bigint)  the sessions
//   <table>_locks (id_hash PRIMARY KEY, owner, expires_at bigint)                         the leases
//
// The key is SHA-256 of the id, so the table holds no usable token. Values only ever travel as
// placeholders (the seed built its SQL with `%s`, OWASP "SQL Injection Prevention" rule 1); the only
// name written into SQL text is the table's, after `checkTable`. A save is one UPSERT, never the seed's
// delete-then-insert, which loses the session to a reader in between.
import type { JsonValue, SessionRecord, Store, StoredView } from '../engine/types.ts';
import { lazyClient } from './lazy-client.ts';
import { leaseLock } from './lease-lock.ts';
import { redactUrl, type ServerKind } from './locations.ts';
import { asRecord } from './record-json.ts';
import { checkKey, guarded } from './store-guards.ts';

export interface SqlStoreOptions {
  /** Seconds `lock()` keeps trying before it throws LockTimeoutError. */
  lockTimeoutSeconds: number;
  /** Table name; `<table>_locks` holds the leases. Default `session_data` (seed §16.7). */
  table?: string;
  /** Milliseconds a lease lives unless renewed (default `LEASE_MS`); tests shorten it. */
  leaseMs?: number;
}

export const DEFAULT_TABLE = 'session_data';

/** Writes the placeholder of the value called `name` into a statement's text. */
export type Placeholder = (name: string) => string;

/** A statement: its text, and the names of its values in the order the placeholders take them. */
export interface SqlStatement {
  /** Which statement this is: `load`, `save`, `trimCutoff` … */
  id: string;
  /** `sl_<table>_<id>`: one name per text, for drivers that keep statements by name. */
  name: string;
  text: string;
  names: string[];
}

export type SqlRow = Record<string, unknown>;

/** The two UPSERTs, which dialects spell apart. */
export interface Upserts {
  /** Inserts the session row or overwrites it. */
  save(table: string, p: Placeholder): string;
  /** Inserts a lease, or takes over one that has run out; changes nothing while a live lease holds. */
  take(table: string, p: Placeholder): string;
}
/** What a placeholder carries: keys, owners and JSON text, or milliseconds. */
export type SqlValue = string | number;

export interface SqlDialect<C> {
  /** The store's name, also what its errors name as the server to start. */
  name: Exclude<ServerKind, 'redis'>;
  /** What an error names: the database file, or the URL without its password. */
  where: string;
  /** Where the inspector says the row lives. */
  location(table: string): string;
  /** `$1`, `$2` … (a value used twice keeps its number) or one `?` per value, in order. */
  placeholders: 'numbered' | 'positional';
  /** The save and lease-take UPSERTs, when the dialect does not speak `ON CONFLICT … DO UPDATE`. */
  upserts?: Upserts;
  /** Opens the client (importing the driver only now). */
  connect(): Promise<C>;
  /** Creates both tables if missing; runs once per client, and a process racing another must not fail. */
  createTables(client: C, table: string): Promise<void> | void;
  end(client: C): Promise<void> | void;
  rows(client: C, statement: SqlStatement, values: SqlValue[]): Promise<SqlRow[]> | SqlRow[];
  /** How many rows the statement inserted, updated or deleted. */
  changes(client: C, statement: SqlStatement, values: SqlValue[]): Promise<number> | number;
}

// Table names are spliced into SQL text, which placeholders cannot hold, so only this pattern gets in.
// It is the house identifier rule, shortened to 48 characters so `<table>_locks` and `<table>_expires_idx`
// stay within PostgreSQL's 63-byte limit: longer names are silently truncated there and could collide.
const TABLE_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

export function checkTable(store: string, table: string = DEFAULT_TABLE): string {
  if (!TABLE_PATTERN.test(table)) {
    throw new TypeError(
      `[session-lab] [${store}] table ${JSON.stringify(table)} is not allowed: use lowercase letters, digits and _ (at most 48, not starting with a digit)`,
    );
  }
  return table;
}

/** PostgreSQL's and SQLite's UPSERTs (the same text); MySQL brings its own. */
const onConflictUpserts: Upserts = {
  save: (table, p) => `INSERT INTO ${table} (id_hash, data, created_at, expires_at)
      VALUES (${p('key')}, ${p('data')}, ${p('createdAt')}, ${p('expiresAt')})
      ON CONFLICT (id_hash) DO UPDATE SET
        data = excluded.data, created_at = excluded.created_at, expires_at = excluded.expires_at`,
  take: (table, p) => `INSERT INTO ${table}_locks (id_hash, owner, expires_at)
        VALUES (${p('key')}, ${p('owner')}, ${p('until')})
      ON CONFLICT (id_hash) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
      WHERE ${table}_locks.expires_at < ${p('now')}`,
};

/** Every statement the store runs, each written once with named values. */
function statements(table: string, dialect: Pick<SqlDialect<unknown>, 'placeholders' | 'upserts'>) {
  const locks = `${table}_locks`;
  const compile = (id: string, write: (p: Placeholder) => string): SqlStatement => {
    const names: string[] = [];
    const text = write((name) => {
      if (dialect.placeholders === 'positional') {
        names.push(name);
        return '?';
      }
      const at = names.indexOf(name);
      return `$${at < 0 ? names.push(name) : at + 1}`;
    });
    return { id, name: `sl_${table}_${id}`, text, names };
  };
  const upserts = dialect.upserts ?? onConflictUpserts;
  return {
    load: compile(
      'load',
      (p) => `SELECT id_hash, data, created_at, expires_at FROM ${table} WHERE id_hash = ${p('key')}`,
    ),
    save: compile('save', (p) => upserts.save(table, p)),
    destroy: compile('destroy', (p) => `DELETE FROM ${table} WHERE id_hash = ${p('key')}`),
    // Expired rows go, except one whose lease is live: the request holding it loaded it and may still
    // save it. The same test as the lease's take: a lease is live while `expires_at >= now`.
    sweep: compile(
      'sweep',
      (p) => `DELETE FROM ${table} WHERE expires_at <= ${p('upTo')} AND NOT EXISTS (
        SELECT 1 FROM ${locks} l WHERE l.id_hash = ${table}.id_hash AND l.expires_at >= ${p('now')})`,
    ),
    sweepLeases: compile('sweepLeases', (p) => `DELETE FROM ${locks} WHERE expires_at < ${p('now')}`),
    // trim: the deadline of the first record beyond the cap (newest first), then everything up to it.
    trimCutoff: compile(
      'trimCutoff',
      (p) => `SELECT expires_at FROM ${table} ORDER BY expires_at DESC LIMIT 1 OFFSET ${p('max')}`,
    ),
    take: compile('take', (p) => upserts.take(table, p)),
    // A lease that ran out is lost, never brought back (lease-lock.ts).
    renew: compile(
      'renew',
      (p) => `UPDATE ${locks} SET expires_at = ${p('until')}
        WHERE id_hash = ${p('key')} AND owner = ${p('owner')} AND expires_at >= ${p('now')}`,
    ),
    give: compile(
      'give',
      (p) => `DELETE FROM ${locks} WHERE id_hash = ${p('key')} AND owner = ${p('owner')}`,
    ),
  };
}

/** The record a row holds, or null when its data is not a JSON object: a hand-edited or torn row is a
 * missing session, never a 500. Drivers return BIGINT as number (sqlite, mysql2) or string (pg). */
function toRecord(row: SqlRow | undefined): SessionRecord | null {
  if (!row) return null;
  try {
    const data: unknown = JSON.parse(String(row.data));
    return asRecord({ data, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) });
  } catch {
    return null;
  }
}

/** The inspector's view: the row exactly as the driver returned it, plus the SELECT that read it. */
function toStoredView(store: string, location: string, row: SqlRow, sql: string): StoredView {
  const plain: Record<string, JsonValue> = {};
  for (const [column, value] of Object.entries(row)) {
    plain[column] = typeof value === 'bigint' ? value.toString() : (value as JsonValue);
  }
  const raw = JSON.stringify(plain);
  return { store, location, raw, bytes: Buffer.byteLength(raw), details: { row: plain, sql } };
}

/** A server dialect's `where` and `location`: the URL without its password, and
 * `table session_data in test (postgres://user:***@host/test)`. */
export function serverPlace(url: string): Pick<SqlDialect<unknown>, 'where' | 'location'> {
  let database = 'the configured database';
  try {
    database = decodeURIComponent(new URL(url).pathname.slice(1)) || 'the default database';
  } catch {}
  const where = redactUrl(url);
  return { where, location: (table) => `table ${table} in ${database} (${where})` };
}

export function sqlStore<C>(dialect: SqlDialect<C>, options: SqlStoreOptions): Store {
  const { name, where } = dialect;
  const table = checkTable(name, options.table);
  const sql = statements(table, dialect);
  const location = dialect.location(table);
  const client = lazyClient({
    connect: () => dialect.connect(),
    setUp: (c) => dialect.createTables(c, table),
    end: (c) => dialect.end(c),
  });
  const valuesOf = (statement: SqlStatement, values: Record<string, SqlValue>) =>
    statement.names.map((value) => {
      const given = values[value];
      if (given === undefined)
        throw new TypeError(`[session-lab] ${statement.id} needs a value for ${value}`);
      return given;
    });
  // Any failure, connecting included, becomes the 503 that names the variable to set.
  const rows = (statement: SqlStatement, values: Record<string, SqlValue>) =>
    guarded(name, where, async () =>
      dialect.rows(await client.get(), statement, valuesOf(statement, values)),
    );
  const changes = (statement: SqlStatement, values: Record<string, SqlValue>) =>
    guarded(name, where, async () =>
      dialect.changes(await client.get(), statement, valuesOf(statement, values)),
    );

  const lease = leaseLock(
    {
      // MySQL counts a lease taken over as 2 changed rows; no change means a live lease won.
      take: async (key, owner, now, until) => (await changes(sql.take, { key, owner, until, now })) > 0,
      renew: async (key, owner, until) =>
        (await changes(sql.renew, { key, owner, until, now: Date.now() })) > 0,
      give: async (key, owner) => {
        await changes(sql.give, { key, owner });
      },
    },
    options.lockTimeoutSeconds,
    options.leaseMs,
  );

  return {
    name,
    async load(key) {
      checkKey(name, key);
      return toRecord((await rows(sql.load, { key }))[0]);
    },
    async save(key, record) {
      checkKey(name, key);
      await changes(sql.save, {
        key,
        data: JSON.stringify(record.data),
        // BIGINT columns reject fractions (pg errors, mysql rounds); `now + 0.1 min` can carry one.
        // Flooring expires_at can only end a session earlier, never serve it late.
        createdAt: Math.floor(record.createdAt),
        expiresAt: Math.floor(record.expiresAt),
      });
    },
    async destroy(key) {
      checkKey(name, key);
      await changes(sql.destroy, { key });
    },
    async sweep(now) {
      // Run-out leases are free to take anyway; deleting them keeps the locks table small.
      await changes(sql.sweepLeases, { now });
      return changes(sql.sweep, { upTo: now, now });
    },
    async trim(max) {
      const cutoff = (await rows(sql.trimCutoff, { max }))[0];
      return cutoff ? changes(sql.sweep, { upTo: Number(cutoff.expires_at), now: Date.now() }) : 0;
    },
    async inspect(key) {
      checkKey(name, key);
      const row = (await rows(sql.load, { key }))[0];
      // Shown as the driver returned it (pg gives bigint columns as strings): that is what is stored.
      return row ? toStoredView(name, location, row, sql.load.text) : null;
    },
    async lock(key) {
      checkKey(name, key);
      return lease.lock(key);
    },
    async close() {
      lease.close();
      await client.close();
    },
  };
}
