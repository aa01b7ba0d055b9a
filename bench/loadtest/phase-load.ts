// Phase 1: a class at once. Each visitor, with its own cookies, goes round the demos: the counter on
// every store, the name form (page 1, save, page 3) on each store in turn, and the db-store demo on its
// own storage functions. Nothing may fail: no 5xx, no other unexpected status, no request without an
// answer, every increment the site acknowledged still in the store, every greeting the name just saved.
import { type Context, sleep } from './context.ts';
import { countTable, readBack } from './counts.ts';
import { runCrowd } from './crowd.ts';
import { demoOfPid, warmUp } from './lab-api.ts';
import { sampleMemory } from './memory.ts';
import { demoTable, fixed, memoryTable, statsByDemo } from './report.ts';
import { countingDemo } from './visitor.ts';

export async function loadPhase(ctx: Context): Promise<Record<string, unknown>> {
  const stores = ['ram', 'file', 'sqlite', 'redis'].filter((s) => ctx.stores.has(s));
  const counters = stores.map((store) => countingDemo('counter', store));
  const dbStore = countingDemo('db-store', 'custom');
  const counting = [...counters, dbStore];
  const nameFormBases = stores.map((store) => `/lab/name-form/${store}/std/`);
  const bases = [...counting.map((d) => d.base), ...nameFormBases];
  console.log(
    `1. Load: ${ctx.visitors} visitors for ${ctx.seconds} s, each with its own cookies, clicking the counter on ${stores.join(', ')}, the name form on each of them in turn, and db-store on its own storage functions`,
  );
  // Every demo started before the clock, so the first visitors do not all wait for process start-up.
  for (const base of bases) await warmUp(ctx.origin, base);
  const memory = sampleMemory(ctx.sitePid);
  await sleep(2_000); // idle samples
  // A visitor's round: each counter, the name form, db-store; visitors start at different places in it.
  const round = counting.length + 1;
  const started = Date.now();
  const crowd = await runCrowd(
    ctx.origin,
    ctx.visitors,
    sleep(ctx.seconds * 1_000),
    async (visitor, n, i) => {
      const slot = (n + i) % round;
      if (slot < counting.length) await visitor.click(counting[slot] as (typeof counting)[number]);
      else await visitor.nameForm(stores[Math.floor((n + i) / round) % stores.length] as string, n);
    },
  );
  const seconds = (Date.now() - started) / 1_000;
  const { rows, series } = memory.stop();

  const stats = statsByDemo(crowd.samples);
  const checks = await readBack(crowd.visitors, counting);
  const names = await demoOfPid(ctx.origin);
  const nameForms = crowd.visitors.reduce(
    (sum, v) => ({
      ok: sum.ok + v.nameForms.ok,
      wrong: sum.wrong + v.nameForms.wrong,
      failed: sum.failed + v.nameForms.failed,
    }),
    { ok: 0, wrong: 0, failed: 0 },
  );
  const total = crowd.samples.length;
  console.log(`\n${demoTable(stats)}\n`);
  console.log(`${total} requests in ${fixed(seconds, 0)} s (${fixed(total / seconds, 0)} a second)`);
  console.log(
    `name form: ${nameForms.ok} rounds greeted the name just saved, ${nameForms.wrong} greeted another, ${nameForms.failed} stopped on an unexpected status\n`,
  );
  console.log(`${countTable(checks)}\n`);
  console.log(
    memoryTable(rows, (r) =>
      r.pid === ctx.sitePid ? 'the site (front server)' : `demo ${names.get(r.pid) ?? `? ${r.script}`}`,
    ),
  );

  for (const s of stats) {
    if (s.fiveXx > 0) ctx.problem(`load: ${s.demo} answered ${s.fiveXx} 5xx`);
    if (s.otherStatus > 0) ctx.problem(`load: ${s.demo} gave ${s.otherStatus} unexpected statuses`);
    if (s.noAnswer > 0) ctx.problem(`load: ${s.demo} left ${s.noAnswer} requests without an answer`);
  }
  for (const c of checks) {
    if (c.missing + c.extra + c.backwards + c.restarts + c.jumps > 0)
      ctx.problem(
        `load: ${c.demo}: ${c.missing} acknowledged increments missing, ${c.extra} extra, ${c.backwards} steps back, ${c.restarts} restarts, ${c.jumps} jumps`,
      );
  }
  if (nameForms.wrong > 0) ctx.problem(`load: the name form greeted another name ${nameForms.wrong} times`);
  return {
    visitors: ctx.visitors,
    seconds,
    requests: total,
    stats,
    checks,
    nameForms,
    memory: { rows, series },
  };
}
