// Where each server-backed store connects, and the variable that changes it. One place, so the
// README, the error pages and the tests all name the same variable.
import type { SessionConfig, StorageType } from '../engine/config.ts';

export const SERVER_DEFAULTS = {
  postgres: { env: 'SESSION_LAB_POSTGRES_URL', url: 'postgres://postgres@127.0.0.1:5432/test' },
  mysql: { env: 'SESSION_LAB_MYSQL_URL', url: 'mysql://root@127.0.0.1:3306/test' },
  redis: { env: 'SESSION_LAB_REDIS_URL', url: 'redis://127.0.0.1:6379' },
  sqlite: { env: 'SESSION_LAB_SQLITE_PATH', url: '.data/sessions.sqlite' },
} as const satisfies Partial<Record<StorageType, { env: string; url: string }>>;

export type ServerKind = keyof typeof SERVER_DEFAULTS;

/** The config's `databaseUrl`, else the environment variable, else the local default. */
export function locationFor(kind: ServerKind, config?: Pick<SessionConfig, 'databaseUrl'>): string {
  return config?.databaseUrl ?? process.env[SERVER_DEFAULTS[kind].env] ?? SERVER_DEFAULTS[kind].url;
}

/** A URL with its password replaced, safe to print on a page or in a log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Where a record lives, told without the path, URL or database user (`showLocations = false`, a public
 * site): the kind of place and the name a learner looks for (`name`: the file's or the table's), nothing
 * that maps the server.
 */
export function placeWithoutLocation(kind: 'file' | 'sqlite' | 'postgres' | 'mysql', name: string): string {
  switch (kind) {
    case 'file':
      return `file ${name} in the session folder (storageFileDir)`;
    case 'sqlite':
      return `table ${name} in the SQLite file`;
    case 'postgres':
      return `table ${name} (PostgreSQL)`;
    case 'mysql':
      return `table ${name} (MySQL)`;
  }
}
