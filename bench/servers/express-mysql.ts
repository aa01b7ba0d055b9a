// H. express-session + express-mysql-session 3, the MySQL/MariaDB peer of the `mysql` store, with its
// default options: it makes its own mysql2 pool and its `sessions` table (the store's is `session_data`).

import mysqlSession from 'express-mysql-session';
import session from 'express-session';
import { locationFor, redactUrl } from '../../sandbox/stores/locations.ts';
import { expressCounter } from './express-session.ts';
import { BackendMissing, type CreateServer } from './types.ts';

export const create: CreateServer = async () => {
  const url = locationFor('mysql');
  const { hostname, port, username, password, pathname } = new URL(url);
  const MySQLStore = mysqlSession(session);
  const store = new MySQLStore({
    host: hostname,
    port: Number(port || 3306),
    user: decodeURIComponent(username),
    password: decodeURIComponent(password),
    database: decodeURIComponent(pathname.slice(1)),
  });
  try {
    await store.onReady();
  } catch (error) {
    await store.close().catch(() => {});
    throw new BackendMissing(`no MySQL at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  return expressCounter(store, async (sids) => {
    for (const sid of sids) await new Promise<void>((done) => store.destroy(sid, () => done()));
    await store.close();
  });
};
