// Phase 4: the memory a small server needs. A second copy of the built site starts in public mode
// (PUBLIC=1, as a teacher would run it), every demo of every chapter is used (each `<Demo>` of
// every step, lessons/*/*.mdx, its variant opened and clicked), and then the resident memory (VmRSS) of the front
// server and of every demo process it started is read: per process and in total. The total must stay
// under MEMORY_BUDGET_MB (issue 11 §4: a 1 GB server holds a class).
import { resolveDemo } from '../../site/lib/build/props.ts';
import { lessonDemos } from '../../site/lib/lab/offered.ts';
import { memoryKb, processTree, scriptOf } from '../proc.ts';
import { startSite } from '../site-process.ts';
import { type Context, sleep } from './context.ts';
import { MEMORY_BUDGET_MB } from './memory.ts';
import { fixed, table } from './report.ts';

/** Clicks per demo: a session made and used, as a reader would. */
const CLICKS = 3;

export async function memoryPhase(ctx: Context): Promise<Record<string, unknown>> {
  const bases = [...new Set(lessonDemos().map((props) => resolveDemo(props).base))].sort();
  console.log(
    `5. Memory: the site in public mode with every demo of every chapter in use (${bases.length} variants)`,
  );
  const port = ctx.port + 1;
  const site = await startSite({
    port,
    cwd: ctx.cwd,
    logFile: ctx.logFile.replace(/\.site\.log$/, '.memory.site.log'),
    env: {
      PUBLIC: '1',
      // A secret for this run only; the rate limit raised, as every click here comes from 127.0.0.1.
      SESSION_LAB_SECRET: 'memory-phase-secret-0123456789-abcdefghijklmnop',
      SESSION_LAB_RATE_LIMIT: '1000000',
      SESSION_LAB_SHARED_URL: undefined,
    },
  });
  try {
    const statuses: Record<string, number> = {};
    for (const base of bases) {
      let cookie = '';
      for (let i = 0; i < CLICKS; i++) {
        const response = await fetch(`${site.origin}${base}`, { headers: cookie ? { cookie } : {} });
        await response.arrayBuffer();
        cookie =
          response.headers
            .getSetCookie()
            .map((c) => c.split(';')[0])
            .join('; ') || cookie;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status !== 200) ctx.problem(`memory phase: ${base} answered ${response.status}`);
      }
    }
    await sleep(2_000); // let start-up garbage be collected before reading
    const served = await demosOfPid(site.origin, bases);
    const rows = processTree(site.pid)
      .map((pid) => ({ pid, script: scriptOf(pid) ?? '?', mb: (memoryKb(pid)?.rss ?? 0) / 1024 }))
      .filter((row) => row.mb > 0)
      .map((row) => ({ ...row, serves: served.get(row.pid) ?? [] }));
    const name = (row: (typeof rows)[number]) =>
      row.pid === site.pid
        ? 'front server'
        : row.serves.length > 1
          ? `demo host (${row.serves.length} variants)`
          : `${row.serves[0] ?? row.script}`;
    const total = rows.reduce((sum, row) => sum + row.mb, 0);
    console.log(
      `\n${table(
        ['pid', 'process', 'RSS MB'],
        [
          ...rows.map((row) => [row.pid, name(row), fixed(row.mb)]),
          ['', `total (${rows.length} processes)`, fixed(total)],
        ],
      )}\n`,
    );
    console.log(`answers: ${JSON.stringify(statuses)}; budget ${MEMORY_BUDGET_MB} MB`);
    if (total >= MEMORY_BUDGET_MB)
      ctx.problem(
        `memory: ${fixed(total)} MB RSS in public mode with every demo in use (budget ${MEMORY_BUDGET_MB} MB)`,
      );
    return { variants: bases, statuses, processes: rows, totalMb: total, budgetMb: MEMORY_BUDGET_MB };
  } finally {
    await site.stop();
  }
}

/** Which variants each demo process serves, from `/lab-api/status` (public mode names pids, not ports). */
export async function demosOfPid(origin: string, bases: readonly string[]): Promise<Map<number, string[]>> {
  const served = new Map<number, string[]>();
  for (const base of bases) {
    const variant = base.replace(/^\/lab\//, '').replace(/\/$/, '');
    const status = (await (await fetch(`${origin}/lab-api/status?variant=${variant}`)).json()) as {
      workers?: { pid?: number }[];
    };
    for (const { pid } of status.workers ?? [])
      if (pid !== undefined) served.set(pid, [...(served.get(pid) ?? []), variant]);
  }
  return served;
}
