// `npm run loadtest`: the built site under a class's load, with the faults a class would meet (issue 4 §3).
//   1. load:   N visitors (default 200) for S seconds (default 60), each with its own cookies, clicking the
//              counter on RAM, file, SQLite and Redis and the name form; zero 5xx, zero lost increments.
//   2. idle:   10 000 sessions per store on the 15-second-timeout demos, then the sweeper: the stores and
//              the workers' memory go back to where they started.
//   3. faults: under load, a demo worker killed with kill -9, Redis stopped for 10 s, PostgreSQL restarted.
// A measurement, not a test: it prints tables, writes bench/results/loadtest-<time>.json and exits 1 when
// an invariant breaks. Flags: --visitors N --seconds S --idle N --only load,idle,faults
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt } from '../build.ts';
import { type MemoryRow, processTree, rssMb, sampleMemory } from './processes.ts';
import { fixed, statsByDemo, table } from './report.ts';
import { storeSizes } from './stores.ts';
import { fetchTwice, type Sample, Visitor } from './visitor.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const { values: flags } = parseArgs({
  options: {
    visitors: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    idle: { type: 'string', default: '10000' },
    only: { type: 'string', default: 'load,idle,faults' },
    port: { type: 'string', default: '5540' },
  },
});
const phases = new Set(flags.only.split(','));
const port = Number(flags.port);
const origin = `http://127.0.0.1:${port}`;
const problems: string[] = [];
const results: Record<string, unknown> = { startedAt: new Date().toISOString(), loadavg: loadavg() };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const think = () => sleep(100 + Math.random() * 200); // a reader clicks every 0.1–0.3 s: a busy class

// ---- the site, built if stale, served from a scratch directory (its .data/ holds the demo stores) ----
await ensureBuilt('site');
const cwd = mkdtempSync(join(tmpdir(), 'session-lab-loadtest-'));
const site = spawn(process.execPath, [join(ROOT, 'site/serve.ts')], {
  cwd,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
site.stdout.resume();
const sitePid = site.pid as number;
process.on('exit', () => {
  site.kill('SIGKILL');
  // Whatever happened, leave Redis running: other programs on this machine use it.
  if (phases.has('faults') && !redisAnswers()) startRedis();
  rmSync(cwd, { recursive: true, force: true });
});
for (let i = 0; ; i++) {
  if ((await fetch(`${origin}/`).catch(() => null))?.ok) break;
  if (i > 100) throw new Error('the site did not start within 20 s');
  await sleep(200);
}
console.log(
  `Session Lab at ${origin} (pid ${sitePid}, data in ${cwd}); load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}\n`,
);

/** Runs `visitors` readers doing `step` until `seconds` pass; returns every request made. */
async function crowd(count: number, seconds: number, step: (v: Visitor, n: number) => Promise<void>) {
  const samples: Sample[] = [];
  const visitors = Array.from({ length: count }, () => new Visitor(origin, (s) => samples.push(s)));
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    visitors.map(async (visitor, i) => {
      await sleep((i / count) * 1000); // arrive over the first second, not all in one tick
      for (let n = 0; Date.now() < end; n++) {
        await step(visitor, n);
        await think();
      }
    }),
  );
  return { visitors, samples };
}

/** The memory table, each demo worker named by the demo it serves (from /lab-api/status). */
async function printMemory(rows: MemoryRow[], variants: string[]) {
  const demoOf = new Map<number, string>([[sitePid, 'the site (front server)']]);
  for (const variant of variants) {
    const status = await (await fetchTwice(`${origin}/lab-api/status?variant=${variant}`)).json();
    for (const worker of status.workers ?? []) demoOf.set(worker.pid, `demo ${variant}`);
  }
  console.log(
    table(
      ['pid', 'process', 'RSS MB first', 'peak', 'end'],
      rows.map((r) => [r.pid, demoOf.get(r.pid) ?? r.name, fixed(r.first), fixed(r.peak), fixed(r.last)]),
    ),
  );
}

// ---- 1. load ----
if (phases.has('load')) {
  const count = Number(flags.visitors);
  const seconds = Number(flags.seconds);
  const stores = ['ram', 'file', 'sqlite', 'redis'];
  // Start each demo once, so the first visitors do not all wait for process start-up.
  for (const store of stores) await fetchTwice(`${origin}/lab/counter/${store}/std/_inspect`);
  await fetchTwice(`${origin}/lab/name-form/ram/std/_inspect`);
  console.log(`1. ${count} visitors for ${seconds} s: counter on ${stores.join(', ')}, and the name form`);
  const memory = sampleMemory(sitePid);
  let wrongNames = 0;
  const { visitors, samples } = await crowd(count, seconds, async (visitor, n) => {
    if (n % 5 === 4) {
      if (!(await visitor.nameForm('ram', n))) wrongNames++;
    } else await visitor.clickCounter(stores[n % stores.length] as string);
  });
  const memoryRows = memory.stop();
  // Every visitor's final count, read back from the store, must equal the count it was last shown.
  let checked = 0;
  let mismatched = 0;
  for (const visitor of visitors) {
    for (const [demo, acknowledged] of visitor.acknowledged) {
      const stored = await visitor.storedCount(demo.split('/')[1] as string);
      checked++;
      if (stored !== acknowledged) mismatched++;
    }
  }
  const lost = visitors.reduce((sum, v) => sum + [...v.lost.values()].reduce((a, b) => a + b, 0), 0);
  const stats = statsByDemo(samples);
  const fiveXx = stats.reduce((sum, s) => sum + s.fiveXx + s.failed, 0);
  console.log(
    table(
      ['demo', 'requests', '5xx', 'failed', 'p50 ms', 'p99 ms'],
      stats.map((s) => [s.demo, s.requests, s.fiveXx, s.failed, fixed(s.p50), fixed(s.p99)]),
    ),
  );
  const total = samples.length;
  console.log(
    `\n${total} requests in ${seconds} s (${fixed(total / seconds, 0)}/s); 5xx or failed: ${fiveXx}; lost increments: ${lost}; final counts checked: ${checked}, differing: ${mismatched}; name form greeted the wrong name: ${wrongNames}\n`,
  );
  await printMemory(memoryRows, [...stores.map((s) => `counter/${s}/std`), 'name-form/ram/std']);
  if (fiveXx > 0) problems.push(`load: ${fiveXx} responses were 5xx or failed`);
  if (lost > 0 || mismatched > 0)
    problems.push(`load: ${lost} lost increments, ${mismatched} final counts differ`);
  if (wrongNames > 0) problems.push(`load: the name form showed a wrong name ${wrongNames} times`);
  results.load = {
    visitors: count,
    seconds,
    requests: total,
    fiveXx,
    lost,
    checked,
    mismatched,
    wrongNames,
    stats,
    memory: memoryRows,
  };
  console.log();
}

// ---- 2. idle sessions, then the sweeper ----
if (phases.has('idle')) {
  const perStore = Number(flags.idle);
  const stores = ['ram', 'file', 'sqlite', 'redis'];
  console.log(
    `2. ${perStore} idle sessions on each of ${stores.join(', ')} (15 s timeout demos), then the sweeper`,
  );
  const workerRss = () =>
    processTree(sitePid)
      .filter((p) => p.pid !== sitePid)
      .reduce((sum, p) => sum + (rssMb(p.pid) ?? 0), 0);
  for (const store of stores) await fetchTwice(`${origin}/lab/counter/${store}/t15s/_inspect`);
  await sleep(1_000);
  const before = { ...(await storeSizes(cwd)), workersMb: workerRss() };
  const started = Date.now();
  let failures = 0;
  for (const store of stores) {
    let next = 0;
    // 50 at a time: each a new visitor without a cookie, so each makes one session.
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next++ < perStore) {
          const response = await fetchTwice(`${origin}/lab/counter/${store}/t15s/`).catch(() => null);
          if (!response?.ok) failures++;
          await response?.arrayBuffer();
        }
      }),
    );
  }
  const full = { ...(await storeSizes(cwd)), workersMb: workerRss() };
  console.log(`   created in ${fixed((Date.now() - started) / 1000)} s, ${failures} failed`);
  let after = full;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await sleep(5_000);
    after = { ...(await storeSizes(cwd)), workersMb: workerRss() };
    if (after.file === before.file && after.sqlite === before.sqlite && after.redis === before.redis) break;
  }
  console.log(
    table(
      ['', 'file records', 'SQLite rows', 'Redis keys', 'demo workers RSS MB'],
      [
        ['baseline', before.file, before.sqlite, before.redis, fixed(before.workersMb)],
        ['after creating', full.file, full.sqlite, full.redis, fixed(full.workersMb)],
        ['after expiry + sweep', after.file, after.sqlite, after.redis, fixed(after.workersMb)],
      ],
    ),
  );
  if (after.file !== before.file || after.sqlite !== before.sqlite || after.redis !== before.redis)
    problems.push('idle: the stores did not return to their baseline within 120 s');
  // V8 keeps some heap it grew into; more than 50 MB above the baseline would mean sessions were kept.
  if (after.workersMb - before.workersMb > 50)
    problems.push(`idle: workers kept ${fixed(after.workersMb - before.workersMb)} MB`);
  if (failures > 0) problems.push(`idle: ${failures} session-creating requests failed`);
  results.idle = { perStore, before, full, after, failures };
  console.log();
}

// ---- 3. faults under load ----
if (phases.has('faults')) {
  const stores = ['file', 'postgres', 'redis'];
  const seconds = 50;
  console.log(`3. faults under load: 60 visitors on the counter (${stores.join(', ')}) for ${seconds} s`);
  for (const store of stores) await fetchTwice(`${origin}/lab/counter/${store}/std/_inspect`);
  const events: { at: number; what: string }[] = [];
  const mark = (what: string) => {
    events.push({ at: Date.now(), what });
    console.log(`   ${new Date().toISOString().slice(11, 19)} ${what}`);
  };
  const faults = (async () => {
    await sleep(5_000);
    const status = await (await fetchTwice(`${origin}/lab-api/status?variant=counter/file/std`)).json();
    const pid = status.workers?.[0]?.pid;
    if (pid) {
      process.kill(pid, 'SIGKILL');
      mark(`kill -9 of the file demo's worker (pid ${pid})`);
    }
    await sleep(7_000);
    redis(['shutdown', 'nosave']);
    mark('Redis stopped');
    await sleep(10_000);
    startRedis();
    mark('Redis started again');
    await sleep(6_000);
    mark('PostgreSQL restarting');
    restartPostgres();
    mark('PostgreSQL restarted');
  })();
  const { visitors, samples } = await crowd(60, seconds, async (visitor, n) => {
    const store = stores[n % stores.length] as string;
    await visitor.clickCounter(store, 'std', store !== 'redis');
  });
  await faults;
  const stats = statsByDemo(samples);
  console.log(
    table(
      ['demo', 'requests', '5xx', '5xx without a clear page', 'failed (no answer)', 'p50 ms', 'p99 ms'],
      stats.map((s) => [s.demo, s.requests, s.fiveXx, s.unclear, s.failed, fixed(s.p50), fixed(s.p99)]),
    ),
  );
  // Recovery: after each fault, how long until the next 200 from that demo.
  const recovery = (demo: string, from: number) => {
    const ok = samples.find((s) => s.demo === demo && s.status === 200 && s.at > from);
    return ok ? (ok.at - from) / 1000 : Number.NaN;
  };
  const at = (what: string) => events.find((e) => e.what.startsWith(what))?.at ?? 0;
  const recoveries = {
    'file worker kill -9': recovery('counter/file', at('kill -9')),
    'Redis back': recovery('counter/redis', at('Redis started')),
    'PostgreSQL back': recovery('counter/postgres', at('PostgreSQL restarted')),
  };
  console.log(
    `\n   first 200 after: ${Object.entries(recoveries)
      .map(([k, s]) => `${k} ${fixed(s)} s`)
      .join('; ')}`,
  );
  const lost = visitors.reduce((sum, v) => sum + [...v.lost.values()].reduce((a, b) => a + b, 0), 0);
  const resets = visitors.reduce((sum, v) => sum + [...v.resets.values()].reduce((a, b) => a + b, 0), 0);
  let mismatched = 0;
  for (const visitor of visitors) {
    for (const [demo, acknowledged] of visitor.acknowledged) {
      const store = demo.split('/')[1] as string;
      if (store !== 'redis' && (await visitor.storedCount(store)) !== acknowledged) mismatched++;
    }
  }
  console.log(
    `   acknowledged increments lost on durable stores (file, PostgreSQL): ${lost}; final counts differing: ${mismatched}; Redis counts that restarted because Redis here keeps nothing on disk: ${resets}`,
  );
  const unclear = stats.reduce((sum, s) => sum + s.unclear, 0);
  const plain500 = samples.filter((s) => s.status === 500).length;
  if (lost > 0 || mismatched > 0)
    problems.push(`faults: ${lost} acknowledged increments lost on durable stores`);
  if (unclear > 0 || plain500 > 0)
    problems.push(`faults: ${unclear} 5xx without a clear page, ${plain500} plain 500s`);
  if (Object.values(recoveries).some((s) => !Number.isFinite(s)))
    problems.push('faults: a demo did not recover');
  results.faults = { events, stats, recoveries, lost, resets, mismatched };
  console.log();
}

function redis(args: string[]) {
  try {
    execFileSync('redis-cli', args, { stdio: 'ignore' });
  } catch {} // shutdown closes the connection before it answers
}

function redisAnswers(): boolean {
  try {
    return execFileSync('redis-cli', ['ping'], { encoding: 'utf8' }).trim() === 'PONG';
  } catch {
    return false;
  }
}

function startRedis() {
  execFileSync('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    '/var/lib/redis',
    '--logfile',
    '/var/log/redis/ci.log',
  ]);
}

function restartPostgres() {
  const version = readdirSync('/etc/postgresql')[0] ?? '';
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], {
    stdio: 'ignore',
  });
}

// ---- the verdict ----
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const file = join(ROOT, `bench/results/loadtest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ ...results, problems }, null, 2));
console.log(problems.length === 0 ? 'All invariants held.' : `Problems:\n- ${problems.join('\n- ')}`);
console.log(`raw results: ${file}`);
process.exitCode = problems.length === 0 ? 0 : 1;
site.kill('SIGTERM');
