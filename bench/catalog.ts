// Every server the bench can run, in the order it runs them, and the targets that compare them.
import type { StorageType } from '../sandbox/engine/config.ts';
import type { BuildId } from './build.ts';

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
  | 'express-redis'
  | 'express-postgres'
  | 'express-mysql'
  | 'site-ram'
  | 'astro-plain'
  | 'astro-session';

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
  /**
   * The counter page's path, ending in `/` (default `/`). Its read-only probe is `<path>_inspect`, and
   * the child counts requests for exactly this path.
   */
  path?: string;
  /** The Astro build the server runs from, made first when missing or stale (bench/build.ts). */
  build?: BuildId;
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
  postgres: engine('postgres', 'express-postgres'),
  mysql: engine('mysql', 'express-mysql'),
  redis: engine('redis', 'express-redis'),
  'express-memory': { label: 'C. express-session + MemoryStore', module: 'express-memory', sessions: true },
  'express-file': {
    label: 'D. express-session + session-file-store',
    module: 'express-file',
    sessions: true,
  },
  'express-redis': { label: 'E. express-session + connect-redis', module: 'express-redis', sessions: true },
  'express-postgres': {
    label: 'G. express-session + connect-pg-simple',
    module: 'express-postgres',
    sessions: true,
  },
  'express-mysql': {
    label: 'H. express-session + express-mysql-session',
    module: 'express-mysql',
    sessions: true,
  },
  // Issue 3 §4: a demo round trip through the site (front server → demo worker) against Astro's own
  // sessions.
  'site-ram': {
    label: 'Session Lab site, /lab/counter/ram/std/ (front server → demo worker)',
    module: 'site',
    sessions: true,
    path: '/lab/counter/ram/std/',
    build: 'site',
  },
  'astro-plain': {
    label: 'F0. Astro 7 on-demand page, no session',
    module: 'astro',
    sessions: false,
    path: '/plain/',
    build: 'astro-session',
  },
  'astro-session': {
    label: 'F. Astro 7 on-demand page + Astro.session (default fs-lite driver)',
    module: 'astro',
    sessions: true,
    path: '/counter/',
    build: 'astro-session',
  },
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
  {
    text: 'site counter route (RAM) ≥ 1.5× Astro.session page',
    server: 'site-ram',
    versus: 'astro-session',
    atLeast: 1.5,
  },
];
