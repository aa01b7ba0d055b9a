// Old demo data, swept by the site itself. A demo's engine sweeps its store only while its process runs,
// and the site stops a demo after 15 idle minutes, so the files and rows of visitors who never came back
// would stay forever (Redis alone drops records by TTL). Every demo store kind is swept here, running
// demo or not, through the store modules the demos use, built from the same config (same location).
//
// The public site's cap on sessions per store is applied here too. Every demo of one store kind shares
// one location (a directory, a table, a key prefix), so the cap is per store: past it, the records
// closest to expiry go (`Store.trim`). Between two sweeps the rate limit bounds the growth. RAM demos
// have their own bound (`maxSessions`), and cookie sessions live in the visitors' browsers.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../../../sandbox/engine/config.ts';
import { StoreUnavailableError, withTimeout } from '../../../sandbox/engine/errors.ts';
import { createStore } from '../../../sandbox/stores/index.ts';
import { locationFor } from '../../../sandbox/stores/locations.ts';
import { defaultVariant, variantConfig } from './variant.ts';

/** The demo stores that keep records outside the demo process and outside the browser. */
export const SWEPT_STORES = ['file', 'sqlite', 'postgres', 'mysql', 'redis', 'custom'] as const;
export type SweptStore = (typeof SWEPT_STORES)[number];

export interface SweepOptions {
  /** The `[session]` keys every demo gets on top of its variant's (the same as DemoManager's). */
  extraConfig?: Record<string, string>;
  /** Public mode: most records kept per store. */
  maxSessionsPerStore?: number;
}

export interface SweepResult {
  store: SweptStore;
  /** Expired records deleted. */
  removed: number;
  /** Live records deleted to keep the store under the cap. */
  trimmed: number;
  /** Why there was nothing to do: no demo has used the store yet, or it expires records by itself. */
  skipped?: string;
  /** Why it could not be swept this time: its server is down or too slow. */
  unavailable?: string;
}

/** One store's sweep may take this long; a hung server must not stall the sweeps after it. */
const STORE_SWEEP_MS = 60_000;

/** Sweeps (and in public mode caps) every demo store once. Errors other than a server that is down are thrown. */
export async function sweepDemoStores(options: SweepOptions = {}): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  const failures: Error[] = [];
  for (const store of SWEPT_STORES) {
    try {
      results.push(await withTimeout(store, STORE_SWEEP_MS, sweepOne(store, options)));
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) failures.push(error as Error);
      else results.push({ store, removed: 0, trimmed: 0, unavailable: error.message });
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'sweeping the demo stores failed');
  return results;
}

async function sweepOne(
  store: SweptStore,
  { extraConfig, maxSessionsPerStore }: SweepOptions,
): Promise<SweepResult> {
  const app = store === 'custom' ? 'db-store' : 'counter';
  const config = parseConfig(variantConfig(defaultVariant(app, store), extraConfig), 'demo sweeper');
  const now = Date.now();
  if (store === 'custom') {
    // Loaded on use: it imports node:sqlite, which the site process otherwise needs only for SQLite demos.
    const lesson = await import('../../../lessons/08-your-own-storage/session-functions.ts');
    const path = lesson.customStorePath(config);
    if (!existsSync(path)) return unused(store, path);
    const functions = lesson.sessionFunctions(path);
    try {
      const removed = functions.deleteExpiredSessionData(now);
      const trimmed = maxSessionsPerStore === undefined ? 0 : functions.trimSessionData(maxSessionsPerStore);
      return { store, removed, trimmed };
    } finally {
      functions.close();
    }
  }
  // A local store no demo has created yet has nothing to sweep, and opening it would create it.
  const local =
    store === 'file'
      ? resolve(config.storageFileDir)
      : store === 'sqlite'
        ? locationFor('sqlite', config)
        : '';
  if (local && !existsSync(local)) return unused(store, local);
  if (store === 'redis' && maxSessionsPerStore === undefined)
    return { store, removed: 0, trimmed: 0, skipped: 'Redis drops expired records by itself (TTL)' };
  const opened = await createStore(config);
  try {
    const removed = (await opened.sweep?.(now)) ?? 0;
    const trimmed = maxSessionsPerStore === undefined ? 0 : ((await opened.trim?.(maxSessionsPerStore)) ?? 0);
    return { store, removed, trimmed };
  } finally {
    await opened.close?.();
  }
}

const unused = (store: SweptStore, path: string): SweepResult => ({
  store,
  removed: 0,
  trimmed: 0,
  skipped: `no demo has used it yet (${path})`,
});
