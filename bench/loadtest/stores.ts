// How many session records each demo store holds right now, read where the demos keep them (every demo
// of one store kind shares one location: sandbox/engine/config.ts defaults, sandbox/stores/locations.ts):
//   file    `<site cwd>/.data/sessions/*.json` (its lock files live in `.data/sessions/.locks/`)
//   SQLite  rows of `session_data` in `<site cwd>/.data/sessions.sqlite`
//   Redis   keys `session-lab:sess:*` in the run's own Redis database (SESSION_LAB_REDIS_URL)
//   RAM     a Map inside the demo's worker: its inspector says "(N of at most M sessions)", read with a
//           live session's cookie (the inspector only reads; it neither creates nor extends a session)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createClient } from 'redis';
import { locationFor } from '../../sandbox/stores/locations.ts';

export function fileRecords(cwd: string): number {
  try {
    return readdirSync(join(cwd, '.data', 'sessions')).filter((name) => name.endsWith('.json')).length;
  } catch {
    return 0; // no file demo has saved a session yet
  }
}

export function sqliteRows(cwd: string): number {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(join(cwd, '.data', 'sessions.sqlite'), { readOnly: true });
  } catch {
    return 0; // not created yet
  }
  try {
    return Number((db.prepare('SELECT count(*) AS n FROM session_data').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

export async function redisKeys(): Promise<number> {
  const client = createClient({ url: locationFor('redis') });
  client.on('error', () => {}); // the connect below rejects instead
  await client.connect();
  try {
    let n = 0;
    for await (const keys of client.scanIterator({ MATCH: 'session-lab:sess:*', COUNT: 1000 }))
      n += keys.length;
    return n;
  } finally {
    await client.close().catch(() => {});
  }
}

/** A RAM demo's session count and cap, as its inspector shows them to `cookie`'s (live) session. */
export async function ramRecords(
  origin: string,
  base: string,
  cookie: string,
): Promise<{ n: number; max: number }> {
  const response = await fetch(`${origin}${base}_inspect`, { headers: { cookie } });
  const body = (await response.json()) as { stored?: { location?: string } | null };
  const match = /\((\d+) of at most (\d+) sessions\)/.exec(body.stored?.location ?? '');
  if (!match)
    throw new Error(`the RAM demo's inspector did not show its session count (HTTP ${response.status})`);
  return { n: Number(match[1]), max: Number(match[2]) };
}
