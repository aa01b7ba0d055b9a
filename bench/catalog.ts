// Every server the bench can run, in the order it runs them, and the targets that compare them.
import type { StorageType } from '../sandbox/engine/config.ts';

export type ServerId =
  | 'bare'
  | 'ram'
  | 'file'
  | 'cookie'
  | 'sqlite'
  | 'postgres'
  | 'mysql'
  | 'redis'
  | 'express-memory'
  | 'express-file'
  | 'express-redis';

export interface CatalogEntry {
  label: string;
  /** The module under bench/servers/ that builds it. */
  module: string;
  storageType?: StorageType;
  /** Whether it keeps a session per client (the bare ceiling keeps one counter for all). */
  sessions: boolean;
  /**
   * The client must store every Set-Cookie it gets: the cookie store's data travels in the cookie.
   * Costs the load generator a rebuilt request per request.
   */
  followCookies?: boolean;
  /** The express-session server to compare against. */
  counterpart?: ServerId;
}

const engine = (
  storageType: StorageType,
  counterpart: ServerId,
  extra: Partial<CatalogEntry> = {},
): CatalogEntry => ({
  label: `Session Lab, ${storageType}`,
  module: 'engine',
  storageType,
  sessions: true,
  counterpart,
  ...extra,
});

export const CATALOG: Record<ServerId, CatalogEntry> = {
  bare: { label: 'A. bare node:http (ceiling)', module: 'bare', sessions: false },
  ram: engine('ram', 'express-memory'),
  file: engine('file', 'express-file'),
  cookie: engine('cookie', 'express-memory', { followCookies: true }),
  sqlite: engine('sqlite', 'express-memory'),
  postgres: engine('postgres', 'express-memory'),
  mysql: engine('mysql', 'express-memory'),
  redis: engine('redis', 'express-redis'),
  'express-memory': { label: 'C. express-session + MemoryStore', module: 'express-memory', sessions: true },
  'express-file': {
    label: 'D. express-session + session-file-store',
    module: 'express-file',
    sessions: true,
  },
  'express-redis': { label: 'E. express-session + connect-redis', module: 'express-redis', sessions: true },
};

export const SERVER_IDS = Object.keys(CATALOG) as ServerId[];

export function isServerId(name: string): name is ServerId {
  return Object.hasOwn(CATALOG, name);
}

export interface Target {
  text: string;
  server: ServerId;
  /** What it is compared with. */
  versus: ServerId;
  /** The ratio server ÷ versus must reach at least this. */
  atLeast: number;
}

export const TARGETS: Target[] = [
  { text: 'RAM ≥ 0.8× bare node:http', server: 'ram', versus: 'bare', atLeast: 0.8 },
  {
    text: 'file ≥ 3× express-session + session-file-store',
    server: 'file',
    versus: 'express-file',
    atLeast: 3,
  },
  {
    text: 'redis ≥ 1.5× express-session + connect-redis',
    server: 'redis',
    versus: 'express-redis',
    atLeast: 1.5,
  },
  { text: 'sqlite ≥ file', server: 'sqlite', versus: 'file', atLeast: 1 },
];
