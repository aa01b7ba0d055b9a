// Phase 2: sessions nobody comes back to. `--idle N` new visitors (no cookie, one request each) on each
// of the RAM, file, SQLite and Redis counters with a 60-second timeout (the `t60s` demos, whose engine
// sweeps every 15 s; Redis drops keys by TTL), then nothing: the records must go, exactly back to the
// baseline, and the demo workers' memory back near where it was.
//
// Why t60s and not t15s: creating 10 000 sessions on a loaded two-core machine can take longer than
// 15 s, and the count "after creating" is only exact if none has expired yet.
import { Jar } from '../load.ts';
import { type Context, mark, sleep } from './context.ts';
import { warmUp, workerPids } from './lab-api.ts';
import { rssMb, sampleMemory } from './memory.ts';
import { fixed, table } from './report.ts';
import { fileRecords, ramRecords, redisKeys, sqliteRows } from './stores.ts';

const TIMEOUT_S = 60;
const SWEEP_S = 15;
/**
 * How far above its baseline a demo worker's RSS may stay once its sessions are gone. V8's heap and
 * glibc's malloc arenas keep the pages they grew into, and reuse them: a file-store worker given four
 * rounds of 10 000 sessions went 100 MB → 134–151 MB while creating, and 113–144 MB after each expiry,
 * with no growth round over round. 50 MB is above that, and below what a leak of 5 KB per session
 * would keep. The exact record counts are the check on the stores themselves.
 */
export const RSS_TOLERANCE_MB = 50;
/** Requests in flight at once while creating sessions. */
const CONCURRENCY = 50;

interface StoreRow {
  store: string;
  pid: number;
  baseline: number;
  expected: number;
  created: number;
  failures: number;
  /** RAM only: new visitors refused with 503 because every session it held had been used in the last minutes. */
  full: number;
  createSeconds: number;
  afterCreating: number;
  afterExpiry: number;
  /** Seconds from the end of creating to the first poll that found the baseline again. */
  backAfter: number;
  rssBaseline: number;
  rssAfterCreating: number;
  rssPeak: number;
  rssAfterExpiry: number;
}

export async function idlePhase(ctx: Context): Promise<Record<string, unknown>> {
  const stores = ['ram', 'file', 'sqlite', 'redis'].filter((s) => ctx.stores.has(s));
  const base = (store: string) => `/lab/counter/${store}/t${TIMEOUT_S}s/`;
  const n = ctx.idleSessions;
  console.log(
    `2. Idle sessions: ${n} new visitors on each of ${stores.join(', ')} (counter, ${TIMEOUT_S} s timeout, swept every ${SWEEP_S} s), then nobody`,
  );
  for (const store of stores) await warmUp(ctx.origin, base(store));
  const pids = new Map<string, number>();
  for (const store of stores) pids.set(store, (await workerPids(ctx.origin, base(store)))[0] as number);

  // The RAM demo's count is read through its inspector with a live session: this probe, kept alive.
  const probe = new Jar();
  if (stores.includes('ram')) {
    const response = await fetch(`${ctx.origin}${base('ram')}`);
    await response.arrayBuffer();
    probe.store(response.headers.getSetCookie());
  }
  let keepProbe = true;
  let lastProbeGet = Date.now();
  const probeKeeper = (async () => {
    while (keepProbe && probe.size > 0) {
      await sleep(5_000);
      if (Date.now() - lastProbeGet > 20_000) {
        await (
          await fetch(`${ctx.origin}${base('ram')}`, { headers: { cookie: probe.header } })
        ).arrayBuffer();
        lastProbeGet = Date.now();
      }
    }
  })();
  const count = async (store: string): Promise<number> => {
    if (store === 'file') return fileRecords(ctx.cwd);
    if (store === 'sqlite') return sqliteRows(ctx.cwd);
    if (store === 'redis') return redisKeys();
    return (await ramRecords(ctx.origin, base('ram'), probe.header)).n;
  };

  const memory = sampleMemory(ctx.sitePid);
  await sleep(2_000);
  const rows: StoreRow[] = [];
  for (const store of stores) {
    const pid = pids.get(store) as number;
    rows.push({
      store,
      pid,
      baseline: await count(store),
      expected: 0,
      created: 0,
      failures: 0,
      full: 0,
      createSeconds: 0,
      afterCreating: 0,
      afterExpiry: 0,
      backAfter: Number.NaN,
      rssBaseline: rssMb(pid),
      rssAfterCreating: 0,
      rssPeak: 0,
      rssAfterExpiry: 0,
    });
  }

  for (const row of rows) {
    const started = Date.now();
    let next = 0;
    // While the RAM demo fills up to its cap, the probe is read often: a read makes it the most
    // recently used session, one the cap never drops.
    let filling = row.store === 'ram';
    const toucher = (async () => {
      while (filling) {
        await ramRecords(ctx.origin, base('ram'), probe.header).catch(() => {});
        await sleep(200);
      }
    })();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          next++;
          const response = await fetch(`${ctx.origin}${base(row.store)}`).catch(() => null);
          await response?.arrayBuffer();
          if (response?.status === 200 && response.headers.getSetCookie().length > 0) row.created++;
          // At its cap the RAM store refuses a new session rather than drop one in use (ram.ts).
          else if (row.store === 'ram' && response?.status === 503) row.full++;
          else row.failures++;
        }
      }),
    );
    filling = false;
    await toucher;
    row.createSeconds = (Date.now() - started) / 1_000;
    row.afterCreating = await count(row.store);
    row.rssAfterCreating = rssMb(row.pid);
    const max =
      row.store === 'ram' ? (await ramRecords(ctx.origin, base('ram'), probe.header)).max : Infinity;
    row.expected = Math.min(row.baseline + row.created, max);
    mark(
      `${row.store}: ${row.created} sessions in ${fixed(row.createSeconds)} s; ${row.afterCreating} records (${row.baseline} before)`,
    );
  }
  const createdAt = Date.now();

  // Every record must go: wait for the timeout, two sweeps and a margin.
  const deadline = createdAt + (TIMEOUT_S + 2 * SWEEP_S + 30) * 1_000;
  while (Date.now() < deadline) {
    await sleep(5_000);
    for (const row of rows) {
      if (Number.isFinite(row.backAfter)) continue;
      row.afterExpiry = await count(row.store);
      if (row.afterExpiry === row.baseline) row.backAfter = (Date.now() - createdAt) / 1_000;
    }
    if (rows.every((row) => Number.isFinite(row.backAfter))) break;
  }
  mark('records back to the baseline; 15 s without requests for the workers to settle');
  await sleep(15_000);
  keepProbe = false;
  await probeKeeper;
  const { rows: sampled, series } = memory.stop();
  for (const row of rows) {
    row.rssAfterExpiry = rssMb(row.pid);
    row.rssPeak = sampled.find((s) => s.pid === row.pid)?.peakMb ?? Number.NaN;
  }

  console.log(
    `\n${table(
      [
        'store',
        'records: baseline',
        'after creating (expected)',
        'after expiry',
        'back at baseline after',
        'worker RSS MB: baseline',
        'after creating',
        'peak',
        'after expiry',
      ],
      rows.map((r) => [
        r.store,
        r.baseline,
        `${r.afterCreating} (${r.expected})`,
        r.afterExpiry,
        Number.isFinite(r.backAfter) ? `${fixed(r.backAfter, 0)} s` : 'not within the wait',
        fixed(r.rssBaseline),
        fixed(r.rssAfterCreating),
        fixed(r.rssPeak),
        fixed(r.rssAfterExpiry),
      ]),
    )}`,
  );
  if (rows.some((r) => r.store === 'ram'))
    console.log(
      `RAM: the demo keeps at most 10 000 sessions (maxSessions); past that, every one having been used in the last 5 minutes, ${rows.find((r) => r.store === 'ram')?.full ?? 0} new visitors got a 503; the count includes the script's probe session`,
    );

  for (const r of rows) {
    if (r.failures > 0) ctx.problem(`idle: ${r.store}: ${r.failures} session-creating requests failed`);
    if (r.createSeconds >= TIMEOUT_S)
      ctx.problem(`idle: ${r.store}: creating took ${fixed(r.createSeconds)} s, longer than a session lives`);
    if (r.afterCreating !== r.expected)
      ctx.problem(`idle: ${r.store}: ${r.afterCreating} records after creating, ${r.expected} expected`);
    if (r.afterExpiry !== r.baseline)
      ctx.problem(`idle: ${r.store}: ${r.afterExpiry} records after expiry, baseline ${r.baseline}`);
    if (!(r.rssAfterExpiry - r.rssBaseline <= RSS_TOLERANCE_MB))
      ctx.problem(
        `idle: ${r.store} worker RSS ${fixed(r.rssAfterExpiry)} MB after expiry, more than ${RSS_TOLERANCE_MB} MB above its baseline ${fixed(r.rssBaseline)} MB`,
      );
  }
  return {
    perStore: n,
    timeoutSeconds: TIMEOUT_S,
    rssToleranceMb: RSS_TOLERANCE_MB,
    rows,
    memory: { series },
  };
}
