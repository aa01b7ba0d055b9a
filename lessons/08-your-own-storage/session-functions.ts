// Seed §16.7 done right: your own `saveSessionData` / `loadSessionData`, here over a `session_data` table
// in SQLite (node:sqlite, so nothing to install). The seed's MySQL version differs in three ways, each
// a bug the lesson quotes:
//
// 1. Placeholders, never string formatting. The seed built `"... where sessionId='%s'" % sessionId`;
//    a value holding a quote ends the string and the rest runs as SQL (OWASP SQL Injection Prevention
//    Cheat Sheet, defence 1). With `?` the value never becomes SQL text, whatever it contains.
// 2. JSON, never pickle. Unpickling runs code: a pickle can name any callable to call while it loads
//    (Python docs, pickle: "never unpickle data that could have come from an untrusted source"), so
//    whoever can write one row can run code in the server. JSON.parse only ever builds data.
// 3. One UPSERT, never delete-then-insert. Between the seed's two statements a concurrent load finds
//    no row (the visitor is logged out for one request), and a crash between them loses the session.
//    `INSERT … ON CONFLICT DO UPDATE` replaces the row in one atomic statement.
//
// The engine hands these functions the SHA-256 hash of the session id (engine/ids.ts), so the table
// never holds a usable token. The engine's custom-store interface has no sweep: an expired row is deleted
// when its visitor comes back (the engine calls deleteSessionData). A real site also deletes the rows of
// visitors who never come back, now and then: deleteExpiredSessionData, which Session Lab's own site
// runs on a schedule (with trimSessionData, its cap on rows, in public mode).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SessionConfig } from '../../sandbox/engine/config.ts';
import type { SessionData, SessionRecord } from '../../sandbox/engine/types.ts';
import { locationFor } from '../../sandbox/stores/locations.ts';

/** Overrides where the custom store's file lives. */
export const CUSTOM_STORE_ENV = 'SESSION_LAB_CUSTOM_STORE_PATH';

/**
 * The custom store's SQLite file: `databaseUrl` when the custom store is the one in use, else the
 * environment variable, else `custom-store.sqlite` beside the built-in SQLite store's file. A file of
 * its own, so this lesson's table never mixes with the built-in store's `session_data`.
 */
export function customStorePath(config: Pick<SessionConfig, 'storageType' | 'databaseUrl'>): string {
  if (config.storageType === 'custom' && config.databaseUrl) return config.databaseUrl;
  return process.env[CUSTOM_STORE_ENV] ?? join(dirname(locationFor('sqlite')), 'custom-store.sqlite');
}

/** One row as stored, for the page that shows the table. */
export interface SessionRow {
  idHash: string;
  /** The JSON text exactly as stored. */
  data: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionFunctions {
  saveSessionData(id: string, record: SessionRecord): void;
  loadSessionData(id: string): SessionRecord | null;
  deleteSessionData(id: string): void;
  /** Deletes the rows whose life is over; returns how many went. */
  deleteExpiredSessionData(now: number): number;
  /** Deletes the rows closest to expiry until at most `keep` remain; returns how many went. */
  trimSessionData(keep: number): number;
  /** The rows most recently extended first, at most `limit`. */
  listSessionRows(limit: number): SessionRow[];
  readonly path: string;
  close(): void;
}

export function sessionFunctions(path: string): SessionFunctions {
  let opened: DatabaseSync | undefined;
  // Opened on first use, so registering the app creates no file for a visitor who picks another store.
  const db = (): DatabaseSync => {
    if (opened) return opened;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    opened = new DatabaseSync(path);
    // Wait for another process's write instead of failing at once; WAL lets the table view read
    // while a save is written.
    opened.exec('PRAGMA busy_timeout = 5000');
    opened.exec('PRAGMA journal_mode = WAL');
    opened.exec(`CREATE TABLE IF NOT EXISTS session_data (
      id_hash TEXT PRIMARY KEY NOT NULL,
      data TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    )`);
    return opened;
  };

  // #region upsert
  function saveSessionData(id: string, record: SessionRecord): void {
    db()
      .prepare(`INSERT INTO session_data (id_hash, data, created_at, expires_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (id_hash) DO UPDATE SET
          data = excluded.data, created_at = excluded.created_at, expires_at = excluded.expires_at`)
      .run(id, JSON.stringify(record.data), Math.floor(record.createdAt), Math.floor(record.expiresAt));
  }
  // #endregion upsert

  function loadSessionData(id: string): SessionRecord | null {
    const row = db()
      .prepare('SELECT data, created_at, expires_at FROM session_data WHERE id_hash = ?')
      .get(id) as { data: string; created_at: number; expires_at: number } | undefined;
    if (!row) return null;
    const data = parseData(row.data);
    return data ? { data, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) } : null;
  }

  function deleteSessionData(id: string): void {
    db().prepare('DELETE FROM session_data WHERE id_hash = ?').run(id);
  }

  function deleteExpiredSessionData(now: number): number {
    return Number(db().prepare('DELETE FROM session_data WHERE expires_at <= ?').run(now).changes);
  }

  function trimSessionData(keep: number): number {
    const cutoff = db()
      .prepare('SELECT expires_at FROM session_data ORDER BY expires_at DESC LIMIT 1 OFFSET ?')
      .get(keep) as { expires_at: number } | undefined;
    return cutoff ? deleteExpiredSessionData(Number(cutoff.expires_at)) : 0;
  }

  function listSessionRows(limit: number): SessionRow[] {
    const rows = db()
      .prepare(
        'SELECT id_hash, data, created_at, expires_at FROM session_data ORDER BY expires_at DESC LIMIT ?',
      )
      .all(limit) as { id_hash: string; data: string; created_at: number; expires_at: number }[];
    return rows.map((row) => ({
      idHash: row.id_hash,
      data: row.data,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    }));
  }

  return {
    saveSessionData,
    loadSessionData,
    deleteSessionData,
    deleteExpiredSessionData,
    trimSessionData,
    listSessionRows,
    path,
    close() {
      opened?.close();
      opened = undefined;
    },
  };
}

// #region parse
/** A row that is not a JSON object (hand-edited, torn) is a missing session, never a crash. */
export function parseData(text: string): SessionData | null {
  try {
    const data: unknown = JSON.parse(text);
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : null;
  } catch {
    return null;
  }
}
// #endregion parse
