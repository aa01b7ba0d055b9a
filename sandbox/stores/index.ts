// Builds the store a config names. Store modules load lazily, so `pg`, `mysql2` and `redis` are
// only imported by a process that uses them.
import type { SessionConfig, StorageType } from '../engine/config.ts';
import { ConfigError } from '../engine/config.ts';
import type { Store } from '../engine/types.ts';
import { bufferedStore } from './buffered.ts';
import type { CustomStoreFunctions } from './custom.ts';
import { locationFor, placeWithoutLocation } from './locations.ts';
import { DEFAULT_TABLE } from './sql-store.ts';

export interface StoreExtras {
  /** The two functions behind `storageType = custom` (the seed's saveSessionData / loadSessionData). */
  custom?: CustomStoreFunctions;
}

export async function createStore(config: SessionConfig, extras: StoreExtras = {}): Promise<Store> {
  const base = await createBaseStore(config, extras);
  const store = config.showLocations ? base : withGenericPlace(base, config.storageType);
  if (config.writePolicy === 'interval' || config.writePolicy === 'on-shutdown') {
    return bufferedStore(store, config.writePolicy, config.flushInterval);
  }
  return store;
}

async function createBaseStore(config: SessionConfig, extras: StoreExtras): Promise<Store> {
  switch (config.storageType) {
    case 'ram':
      return (await import('./ram.ts')).ramStore({ maxSessions: config.maxSessions });
    case 'file':
      return (await import('./file.ts')).fileStore({
        dir: config.storageFileDir,
        lockTimeoutSeconds: config.lockTimeout,
      });
    case 'cookie':
      return (await import('./cookie.ts')).cookieStore({
        secrets: config.secrets,
        cookieName: `${config.cookieName}_data`,
        path: config.cookiePath,
        sameSite: config.cookieSameSite,
        maxSideRecords: config.maxSessions,
      });
    case 'sqlite':
      return (await import('./sqlite.ts')).sqliteStore({
        path: locationFor('sqlite', config),
        lockTimeoutSeconds: config.lockTimeout,
      });
    case 'postgres':
      return (await import('./postgres.ts')).postgresStore({
        url: locationFor('postgres', config),
        lockTimeoutSeconds: config.lockTimeout,
      });
    case 'mysql':
      return (await import('./mysql.ts')).mysqlStore({
        url: locationFor('mysql', config),
        lockTimeoutSeconds: config.lockTimeout,
      });
    case 'redis':
      return (await import('./redis.ts')).redisStore({
        url: locationFor('redis', config),
        lockTimeoutSeconds: config.lockTimeout,
      });
    case 'custom':
      if (!extras.custom) {
        throw new ConfigError(
          'storageType=custom needs the app to pass its save(id, data) and load(id) functions',
        );
      }
      return (await import('./custom.ts')).customStore(extras.custom);
  }
}

/**
 * The store with its inspector view told without path, URL or database user (`showLocations = false`).
 * RAM, the cookie and Redis name no such thing (a process, a cookie, a key) and keep their own words.
 * Wrapped below any write buffer, whose "not yet in …" stays true.
 */
function withGenericPlace(store: Store, kind: StorageType): Store {
  const inspect = store.inspect;
  if (!inspect || (kind !== 'file' && kind !== 'sqlite' && kind !== 'postgres' && kind !== 'mysql'))
    return store;
  return {
    ...store,
    async inspect(key, cookies) {
      const form = await inspect(key, cookies);
      const name = kind === 'file' ? `${key}.json` : DEFAULT_TABLE;
      return form && { ...form, location: placeWithoutLocation(kind, name) };
    },
  };
}
