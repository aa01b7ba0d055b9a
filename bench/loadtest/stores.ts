// How many session records each demo store holds right now: files in the file store's directory, rows
// in the SQLite table, keys in Redis. The idle-session phase compares these with the baseline.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { locationFor } from '../../sandbox/stores/locations.ts';

export interface StoreSizes {
  file: number;
  sqlite: number;
  redis: number;
}

/** `cwd` is the site's working directory: the demos keep `.data/sessions/` and `.data/sessions.sqlite` there. */
export async function storeSizes(cwd: string): Promise<StoreSizes> {
  let file = 0;
  try {
    file = readdirSync(join(cwd, '.data', 'sessions')).filter((name) => name.endsWith('.json')).length;
  } catch {}
  let sqlite = 0;
  try {
    const db = new DatabaseSync(join(cwd, '.data', 'sessions.sqlite'), { readOnly: true });
    try {
      sqlite = Number((db.prepare('SELECT count(*) AS n FROM session_data').get() as { n: number }).n);
    } finally {
      db.close();
    }
  } catch {}
  return { file, sqlite, redis: await redisKeys() };
}

async function redisKeys(): Promise<number> {
  const { createClient } = await import('redis');
  const client = createClient({ url: locationFor('redis') });
  client.on('error', () => {});
  try {
    await client.connect();
    let n = 0;
    for await (const keys of client.scanIterator({ MATCH: 'session-lab:sess:*', COUNT: 1000 })) {
      n += Array.isArray(keys) ? keys.length : 1;
    }
    return n;
  } catch {
    return Number.NaN;
  } finally {
    await client.quit().catch(() => {});
  }
}
