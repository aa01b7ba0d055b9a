// Phase 4: a class on a public site (PUBLIC=1) with an attacker in the room (issue 11 §9). The visitors
// click the same demos as in phase 1, each from an address of its own (127.0.1.x), first calm, then while
//   - one address floods a RAM demo with new sessions (cookieless GETs),
//   - three addresses hold slow uploads open (a byte every 2 s, many at once),
//   - one address posts 20 MB chunked bodies to the name form, one after another.
// Invariants: honest visitors get no error and lose no increment, their p99 with the attackers stays
// within 2× of the calm run, and every process of the site together stays under MEMORY_BUDGET_MB.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { startSite } from '../site-process.ts';
import { type Context, mark, sleep } from './context.ts';
import { countTable, readBack } from './counts.ts';
import { runCrowd } from './crowd.ts';
import { warmUp } from './lab-api.ts';
import { MEMORY_BUDGET_MB, sampleMemory } from './memory.ts';
import { demosOfPid } from './phase-memory.ts';
import { demoTable, fixed, memoryTable, percentile, statsByDemo, table } from './report.ts';
import { countingDemo, type Sample } from './visitor.ts';

/**
 * Requests a minute per address for this run: the simulated readers click every 0.1–0.3 s, two to three
 * times faster than the public default (120) allows; the attackers get the same allowance.
 */
const RATE_LIMIT = 600;
const FLOODER = '127.0.2.1';
const SLOW_UPLOADERS = ['127.0.2.2', '127.0.2.3', '127.0.2.4'];
/** Slow uploads each address keeps open at once (132 in all: about the 130 of the issue's report). */
const SLOW_PER_ADDRESS = 44;
const CHUNKED_POSTER = '127.0.2.5';
const CHUNKED_BYTES = 20 * 1024 * 1024;

/** A fetch whose connections leave from `address`, so the site sees a visitor of its own. */
function fetchFrom(address: string): typeof fetch {
  const dispatcher = new Agent({ localAddress: address });
  return ((input: string, init?: object) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
}

export async function attackPhase(ctx: Context): Promise<Record<string, unknown>> {
  const stores = ['ram', 'file', 'sqlite', 'redis'].filter((s) => ctx.stores.has(s));
  const counting = [
    ...stores.map((store) => countingDemo('counter', store)),
    countingDemo('db-store', 'custom'),
  ];
  const round = counting.length + 1;
  const half = Math.max(10, Math.round(ctx.seconds / 2));
  console.log(
    `4. Attackers: a public site (PUBLIC=1, ${RATE_LIMIT} demo requests a minute per address), ${ctx.visitors} visitors from addresses of their own for ${half} s calm, then ${half} s with a session flood, ${SLOW_UPLOADERS.length * SLOW_PER_ADDRESS} slow uploads and 20 MB chunked posts`,
  );
  const site = await startSite({
    port: ctx.port + 1,
    cwd: ctx.cwd,
    logFile: join(ctx.cwd, 'attack-phase.site.log'),
    env: {
      PUBLIC: '1',
      SESSION_LAB_SECRET: randomBytes(32).toString('base64url'),
      SESSION_LAB_RATE_LIMIT: String(RATE_LIMIT),
      SESSION_LAB_SHARED_URL: undefined,
    },
  });
  try {
    const bases = [...counting.map((d) => d.base), ...stores.map((s) => `/lab/name-form/${s}/std/`)];
    for (const base of bases) await warmUp(site.origin, base);
    const memory = sampleMemory(site.pid);
    const honest = (stop: Promise<unknown>) =>
      runCrowd(
        site.origin,
        ctx.visitors,
        stop,
        async (visitor, n, i) => {
          const slot = (n + i) % round;
          if (slot < counting.length) await visitor.click(counting[slot] as (typeof counting)[number]);
          else await visitor.nameForm(stores[Math.floor((n + i) / round) % stores.length] as string, n);
        },
        (i) => fetchFrom(`127.0.1.${1 + (i % 250)}`),
      );
    mark('calm');
    const calm = await honest(sleep(half * 1_000));
    mark('attackers in');
    const stopAt = Date.now() + half * 1_000;
    const [attacked, flood, slow, chunked] = await Promise.all([
      honest(sleep(half * 1_000)),
      floodSessions(site.origin, stopAt),
      slowUploads(site.origin, stopAt),
      chunkedPosts(site.origin, stopAt),
    ]);
    mark('attackers out');
    const { rows, series } = memory.stop();
    const served = await demosOfPid(site.origin, bases);

    const calmP99 = p99(calm.samples);
    const attackedP99 = p99(attacked.samples);
    const stats = statsByDemo(attacked.samples);
    const checks = await readBack([...calm.visitors, ...attacked.visitors], counting);
    const peakTotal = Math.max(...series.map((s) => Object.values(s.mb).reduce((a, b) => a + b, 0)));
    console.log(`\nWith the attackers:\n${demoTable(stats)}\n`);
    console.log(
      `honest p99: calm ${fixed(calmP99)} ms, with attackers ${fixed(attackedP99)} ms (${fixed(attackedP99 / calmP99, 2)}×)`,
    );
    console.log(
      table(
        ['attacker', 'requests', 'answers'],
        [
          ['session flood', flood.total, statusList(flood.statuses)],
          ['slow uploads', slow.total, statusList(slow.statuses)],
          ['20 MB chunked posts', chunked.total, statusList(chunked.statuses)],
        ],
      ),
    );
    console.log(`\n${countTable(checks)}\n`);
    console.log(
      memoryTable(rows, (r) => {
        const serves = served.get(r.pid) ?? [];
        if (r.pid === site.pid) return 'the site (front server)';
        return serves.length > 1
          ? `demo host (${serves.length} variants)`
          : `demo ${serves[0] ?? `? ${r.script}`}`;
      }),
    );
    console.log(`all processes together: peak ${fixed(peakTotal)} MB (budget ${MEMORY_BUDGET_MB} MB)`);

    for (const s of stats) {
      if (s.fiveXx + s.otherStatus + s.noAnswer > 0)
        ctx.problem(
          `attackers: honest visitors of ${s.demo} got ${s.fiveXx} 5xx, ${s.otherStatus} other unexpected statuses, ${s.noAnswer} no answer`,
        );
    }
    for (const c of checks)
      if (c.missing + c.backwards + c.restarts > 0)
        ctx.problem(
          `attackers: ${c.demo}: ${c.missing} acknowledged increments missing, ${c.backwards} steps back, ${c.restarts} restarts`,
        );
    if (attackedP99 > 2 * calmP99)
      ctx.problem(
        `attackers: honest p99 ${fixed(attackedP99)} ms is over 2× the calm run's ${fixed(calmP99)} ms`,
      );
    if (peakTotal >= MEMORY_BUDGET_MB)
      ctx.problem(`attackers: the site's processes reached ${fixed(peakTotal)} MB together`);
    if (chunked.statuses['200'] || slow.statuses['200'] || slow.statuses['303'] || chunked.statuses['303'])
      ctx.problem('attackers: an oversized or unfinished body was accepted');
    return {
      seconds: half,
      calm: { requests: calm.samples.length, p99: calmP99, stats: statsByDemo(calm.samples) },
      attacked: { requests: attacked.samples.length, p99: attackedP99, stats },
      attackers: { flood, slow, chunked },
      checks,
      memory: { rows, series, peakTotalMb: peakTotal },
    };
  } finally {
    await site.stop();
  }
}

const p99 = (samples: readonly Sample[]) =>
  percentile(
    samples.map((s) => s.ms).sort((a, b) => a - b),
    99,
  );

interface Tally {
  total: number;
  statuses: Record<string, number>;
}

const tally = (): Tally => ({ total: 0, statuses: {} });
const count = (t: Tally, status: number | string) => {
  t.total++;
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
};
const statusList = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .map(
      ([status, n]) =>
        `${n} × ${status === '0' ? 'cut' : status === 'open' ? 'still open at the end' : status}`,
    )
    .join(', ') || '—';

/** Cookieless GETs of the RAM counter, four at a time: a new session each, as fast as the site answers. */
async function floodSessions(origin: string, stopAt: number): Promise<Tally> {
  const result = tally();
  const send = fetchFrom(FLOODER);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (Date.now() < stopAt) {
        try {
          const response = await send(`${origin}/lab/counter/ram/std/`, {
            signal: AbortSignal.timeout(5_000),
          });
          await response.arrayBuffer();
          count(result, response.status);
        } catch {
          count(result, 0);
        }
      }
    }),
  );
  return result;
}

/** One POST whose body never finishes: a byte every 2 s until the site answers or `stopAt`. */
function slowUpload(origin: string, address: string, stopAt: number): Promise<number> {
  return new Promise((resolve) => {
    const url = new URL('/lab/name-form/ram/std/save', origin);
    const req = request(url, {
      method: 'POST',
      localAddress: address,
      agent: false,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': '4096',
        origin,
        'sec-fetch-site': 'same-origin',
      },
    });
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      clearInterval(drip);
      clearTimeout(deadline);
      req.destroy();
      resolve(status);
    };
    const drip = setInterval(() => req.write('a'), 2_000);
    const deadline = setTimeout(() => finish(-1), Math.max(0, stopAt - Date.now()));
    req.on('response', (answer) => {
      answer.resume();
      finish(answer.statusCode ?? 0);
    });
    req.on('error', () => finish(0));
    req.write('firstName=');
  });
}

/** Each slow-upload address keeps SLOW_PER_ADDRESS uploads open, starting a new one as one ends. */
async function slowUploads(origin: string, stopAt: number): Promise<Tally> {
  const result = tally();
  await Promise.all(
    SLOW_UPLOADERS.flatMap((address) =>
      Array.from({ length: SLOW_PER_ADDRESS }, async () => {
        while (Date.now() < stopAt) {
          const status = await slowUpload(origin, address, stopAt);
          // 'open': still sending when the phase ended: the site neither answered nor closed it.
          count(result, status === -1 ? 'open' : status);
          // A refused upload is tried again a little later, as a patient attacker would.
          if (status !== -1) await sleep(250);
        }
      }),
    ),
  );
  return result;
}

/** 20 MB chunked form posts, one after another, each sent as fast as the site takes it. */
async function chunkedPosts(origin: string, stopAt: number): Promise<Tally> {
  const result = tally();
  const chunk = Buffer.alloc(64 * 1024, 'a');
  while (Date.now() < stopAt) {
    const status = await new Promise<number>((resolve) => {
      const req = request(new URL('/lab/name-form/ram/std/save', origin), {
        method: 'POST',
        localAddress: CHUNKED_POSTER,
        agent: false,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin,
          'sec-fetch-site': 'same-origin',
        },
      });
      let sent = 0;
      let answered = false;
      // The phase's end also ends a post the site neither answered nor cut ('open').
      const deadline = setTimeout(
        () => {
          answered = true;
          req.destroy();
          resolve(-1);
        },
        Math.max(0, stopAt - Date.now()),
      );
      const settle = (status: number) => {
        clearTimeout(deadline);
        resolve(status);
      };
      req.on('response', (answer) => {
        answered = true;
        answer.resume();
        answer.on('end', () => settle(answer.statusCode ?? 0));
        answer.on('error', () => settle(answer.statusCode ?? 0));
      });
      req.on('error', () => {
        if (!answered) settle(0);
      });
      const pump = () => {
        while (!answered && sent < CHUNKED_BYTES) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      req.write('firstName=');
      pump();
    });
    count(result, status === -1 ? 'open' : status);
    await sleep(100);
  }
  return result;
}
