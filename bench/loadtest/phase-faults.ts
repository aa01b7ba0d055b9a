// Phase 3: faults while a class clicks. Visitors click the counter on RAM, file, SQLite, PostgreSQL and
// Redis while, one after the other:
//   - the file demo's worker gets kill -9 (its pid from /lab-api/status); the site's supervisor restarts it;
//   - Redis is stopped for 10 s, then started again;
//   - PostgreSQL is restarted.
// Each fault has a window on its demo: from the fault until the first 200 of a request sent after the
// server was back. Inside it a demo may fail, but only with the site's clear 502/503 page, within 10 s;
// outside it (and on RAM and SQLite, which no fault touches) nothing may fail. On the durable stores
// (file, PostgreSQL, and the untouched RAM and SQLite) no acknowledged increment may be lost. Redis on
// this machine keeps nothing on disk (`--save ""`), so its counts start again at 1 after the stop: that
// is reported, not counted as a loss.
import { type Context, mark, sleep } from './context.ts';
import { type CountCheck, countTable, readBack } from './counts.ts';
import { runCrowd } from './crowd.ts';
import { demoOfPid, warmUp, workerPids } from './lab-api.ts';
import { sampleMemory } from './memory.ts';
import { demoTable, fixed, memoryTable, statsByDemo, table } from './report.ts';
import { faultUnsupported, restartPostgres, stopRedisFor } from './services.ts';
import { countingDemo, type Sample } from './visitor.ts';

/** A request slower than this is a hang, fault or not (a store call gives up after 5 s). */
const HANG_MS = 10_000;
const REDIS_DOWN_S = 10;

interface Fault {
  name: string;
  demo: string;
  /** When the fault began, and when the server was back (the kill: the same moment). */
  start: number;
  restored: number;
  /** The end of the first 200 of a request sent after `restored`; NaN if none came. */
  recoveredAt: number;
}

export async function faultsPhase(ctx: Context): Promise<Record<string, unknown>> {
  const stores = ['ram', 'file', 'sqlite', 'postgres', 'redis'].filter((s) => ctx.stores.has(s));
  const demos = stores.map((store) => countingDemo('counter', store));
  const skipped: string[] = [];
  const redisFault = ctx.stores.has('redis') ? faultUnsupported('redis') : 'Redis does not answer';
  const postgresFault = ctx.stores.has('postgres')
    ? faultUnsupported('postgres')
    : 'PostgreSQL does not answer';
  if (redisFault) skipped.push(`Redis stop: ${redisFault}`);
  if (postgresFault) skipped.push(`PostgreSQL restart: ${postgresFault}`);
  console.log(
    `3. Faults under load: ${ctx.visitors} visitors clicking the counter on ${stores.join(', ')}; kill -9 of the file demo's worker, Redis stopped for ${REDIS_DOWN_S} s, PostgreSQL restarted`,
  );
  for (const line of skipped) console.log(`   skipped: ${line}`);
  for (const demo of demos) await warmUp(ctx.origin, demo.base);
  const memory = sampleMemory(ctx.sitePid);

  const faults: Fault[] = [];
  const plan = (async () => {
    await sleep(5_000);
    const [pid] = await workerPids(ctx.origin, '/lab/counter/file/std/');
    if (pid === undefined) throw new Error('the file demo has no worker to kill');
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    faults.push({
      name: `kill -9 of the file demo's worker (pid ${pid})`,
      demo: 'counter/file',
      start: killedAt,
      restored: killedAt,
      recoveredAt: Number.NaN,
    });
    mark(`kill -9 of the file demo's worker, pid ${pid}`);
    if (!redisFault) {
      await sleep(7_000);
      const start = Date.now();
      await stopRedisFor(REDIS_DOWN_S, mark);
      faults.push({
        name: `Redis stopped for ${REDIS_DOWN_S} s`,
        demo: 'counter/redis',
        start,
        restored: Date.now(),
        recoveredAt: Number.NaN,
      });
    }
    if (!postgresFault) {
      await sleep(8_000);
      const start = Date.now();
      await restartPostgres(mark);
      faults.push({
        name: 'PostgreSQL restarted',
        demo: 'counter/postgres',
        start,
        restored: Date.now(),
        recoveredAt: Number.NaN,
      });
    }
    await sleep(15_000); // still under load after the last fault: recovery, and no late failures
  })();
  const crowd = await runCrowd(
    ctx.origin,
    ctx.visitors,
    plan.catch(() => {}),
    async (visitor, n, i) => {
      await visitor.click(demos[(n + i) % demos.length] as (typeof demos)[number]);
    },
  );
  await plan.catch((error: Error) => ctx.problem(`faults: the plan stopped: ${error.message}`));
  const { rows, series } = memory.stop();

  for (const fault of faults) {
    const first = crowd.samples
      .filter((s) => s.demo === fault.demo && s.status === 200 && s.startedAt >= fault.restored)
      .sort((a, b) => a.startedAt - b.startedAt)[0];
    fault.recoveredAt = first ? first.startedAt + first.ms : Number.NaN;
  }
  const windowOf = (s: Sample) =>
    faults.find(
      (f) =>
        f.demo === s.demo &&
        s.startedAt + s.ms >= f.start &&
        s.startedAt <= (Number.isNaN(f.recoveredAt) ? Infinity : f.recoveredAt),
    );
  const failed = crowd.samples.filter((s) => !s.expected);
  const outside = failed.filter((s) => !windowOf(s));
  const unclearInside = failed.filter((s) => windowOf(s) && !s.clear);
  const hangs = crowd.samples.filter((s) => s.ms > HANG_MS);
  const stats = statsByDemo(crowd.samples);
  const checks = await readBack(crowd.visitors, demos);
  const names = await demoOfPid(ctx.origin);

  console.log(`\n${demoTable(stats)}\n`);
  console.log(
    table(
      [
        'fault',
        'demo',
        'server back after',
        'first 200 after the server was back',
        'answers in its window, by status',
      ],
      faults.map((f) => {
        const inWindow = crowd.samples.filter((s) => windowOf(s) === f);
        const byStatus: Record<string, number> = {};
        for (const s of inWindow) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
        return [
          f.name,
          f.demo,
          `${fixed((f.restored - f.start) / 1_000)} s`,
          `${fixed((f.recoveredAt - f.restored) / 1_000, 2)} s`,
          Object.entries(byStatus)
            .map(([status, count]) => `${status === '0' ? 'no answer' : status}: ${count}`)
            .join(', '),
        ];
      }),
    ),
  );
  console.log(
    `\nfailures outside every fault window: ${outside.length}; inside a window but not the clear 502/503 page (or no answer): ${unclearInside.length}; requests slower than ${HANG_MS / 1_000} s: ${hangs.length}\n`,
  );
  console.log(`${countTable(checks)}\n`);
  console.log(
    memoryTable(rows, (r) =>
      r.pid === ctx.sitePid ? 'the site (front server)' : `demo ${names.get(r.pid) ?? `? ${r.script}`}`,
    ),
  );

  if (outside.length > 0)
    ctx.problem(`faults: ${outside.length} failures outside the fault windows (${byDemoAndStatus(outside)})`);
  if (unclearInside.length > 0)
    ctx.problem(
      `faults: ${unclearInside.length} failures in a window without the clear page (${byDemoAndStatus(unclearInside)})`,
    );
  if (hangs.length > 0) ctx.problem(`faults: ${hangs.length} requests took longer than ${HANG_MS / 1_000} s`);
  for (const f of faults)
    if (Number.isNaN(f.recoveredAt))
      ctx.problem(`faults: ${f.demo} never answered 200 again after: ${f.name}`);
  for (const c of checks) {
    const lost = lostOnDurable(c);
    if (lost) ctx.problem(`faults: ${c.demo}: ${lost}`);
  }
  return {
    faults,
    skipped,
    stats,
    checks,
    outside,
    unclearInside,
    hangs: hangs.length,
    memory: { rows, series },
  };
}

/** What a durable (or untouched) store lost of what the site acknowledged; '' when nothing. */
function lostOnDurable(c: CountCheck): string {
  if (c.demo === 'counter/redis') return ''; // nothing on disk here: counts restart at 1, reported
  const untouched = c.demo === 'counter/ram' || c.demo === 'counter/sqlite';
  const lost = c.missing + c.belowLastShown + c.backwards + c.restarts;
  if (lost > 0)
    return `acknowledged increments lost: ${c.missing} missing, ${c.belowLastShown} below the last count shown, ${c.backwards} steps back, ${c.restarts} restarts`;
  if (untouched && c.extra + c.jumps > 0)
    return `${c.extra} increments stored beyond the 200s, though no fault touched it`;
  return '';
}

function byDemoAndStatus(samples: Sample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) {
    const key = `${s.demo} ${s.status === 0 ? 'no answer' : s.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} ×${n}`).join(', ');
}
