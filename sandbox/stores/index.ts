// Builds the store a config names. Store modules load lazily, so `pg`, `mysql2` and `redis` are
// only imported by a process that uses them.
import type { SessionConfig } from '../engine/config.ts';
import { ConfigError } from '../engine/config.ts';
import type { Store } from '../engine/types.ts';
import { bufferedStore } from './buffered.ts';
import type { CustomStoreFunctions } from './custom.ts';
import { locationFor } from './locations.ts';

export interface StoreExtras {
  /** The two functions behind `storageType = custom` (the seed's saveSessionData / loadSessionData). */
  custom?: CustomStoreFunctions;
}

export async function createStore(config: SessionConfig, extras: StoreExtras = {}): Promise<Store> {
  const store = await createBaseStore(config, extras);
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
