// Which backends a demo can use right now. RAM, files, the cookie and SQLite need nothing; the server
// stores are probed (briefly cached) so a backend that is down is shown disabled with the reason.
import type { AppName } from '../../../lessons/apps.ts';
import type { StorageType } from '../../../sandbox/engine/config.ts';
import { locationFor, redactUrl, SERVER_DEFAULTS } from '../../../sandbox/stores/locations.ts';
import { type ProbedServer, probeServer } from '../../../sandbox/stores/probe.ts';

export const STORE_LABELS: Record<StorageType, string> = {
  ram: 'RAM',
  file: 'Files',
  cookie: 'Cookie',
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  redis: 'Redis',
  custom: 'Custom functions',
};

export interface Backend {
  store: StorageType;
  label: string;
  available: boolean;
  reason?: string;
  enable?: string;
}

const PROBE_CACHE_MS = 10_000;
const probes = new Map<ProbedServer, { at: number; result: Promise<string | null> }>();

/** null when the server answers, else why not. */
function reachable(kind: ProbedServer): Promise<string | null> {
  const cached = probes.get(kind);
  if (cached && Date.now() - cached.at < PROBE_CACHE_MS) return cached.result;
  const url = locationFor(kind);
  const result = probeServer(kind, url).then(
    () => null,
    (error: Error) => `not reachable at ${redactUrl(url)}: ${error.message || error.name}`,
  );
  probes.set(kind, { at: Date.now(), result });
  return result;
}

export function storesFor(app: AppName): StorageType[] {
  const all: StorageType[] = ['ram', 'file', 'cookie', 'sqlite', 'postgres', 'mysql', 'redis'];
  if (app === 'db-store') return ['custom', 'sqlite', 'postgres', 'mysql'];
  // Its session only holds the key of the visitor's scratch databases, which are SQLite in memory.
  if (app === 'seed-flaws') return ['ram'];
  return all;
}

/**
 * `showLocations` false (public mode): a backend that is down says only that, since the probe's reason
 * names the server's URL and often its user ("password authentication failed for user …").
 */
export async function backendsFor(app: AppName, showLocations = true): Promise<Backend[]> {
  return Promise.all(
    storesFor(app).map(async (store): Promise<Backend> => {
      const base = { store, label: STORE_LABELS[store] };
      if (store !== 'postgres' && store !== 'mysql' && store !== 'redis') return { ...base, available: true };
      const reason = await reachable(store);
      if (!reason) return { ...base, available: true };
      if (!showLocations) return { ...base, available: false, reason: 'not reachable from this site' };
      const enable = `Start ${STORE_LABELS[store]} on this machine, or set ${SERVER_DEFAULTS[store].env} and restart the site.`;
      return { ...base, available: false, reason, enable };
    }),
  );
}
