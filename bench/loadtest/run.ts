// `npm run loadtest`: the built site under a class's load, and the faults a class would meet (issue 4 §3).
//   1. load    N visitors (default 200) for S seconds (default 60), each with its own cookies, on the
//              counter, name form and db-store demos across RAM, file, SQLite and Redis
//   2. idle    10 000 idle sessions on each store, then the sweeper: back to the baseline
//   3. faults  under load: a demo worker killed with kill -9, Redis stopped for 10 s, PostgreSQL restarted
//   4. attack  a public site (PUBLIC=1), the class calm, then with a session flood, slow uploads and
//              chunked posts from attackers' addresses (issue 11 §9)
//   5. memory  a second site in public mode with every chapter's demos in use: RSS per process, under 700 MB
// A measurement, not a test: it prints tables, writes bench/results/loadtest-<time>.json (and the site's
// log beside it) and exits 1 when an invariant breaks. bench/README.md "Load test" says what each checks.
// Flags: --visitors N --seconds S --idle N --only load,idle,faults,attack,memory --port N (default 5540;
// attack and memory start a public site of their own on N+1)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isolate } from '../../site/acceptance-harness.ts';
import { ensureBuilt } from '../build.ts';
import { type SiteProcess, startSite } from '../site-process.ts';
import type { Context } from './context.ts';
import { attackPhase } from './phase-attack.ts';
import { faultsPhase } from './phase-faults.ts';
import { idlePhase } from './phase-idle.ts';
import { loadPhase } from './phase-load.ts';
import { memoryPhase } from './phase-memory.ts';
import { restoreNow } from './services.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PHASES = {
  load: loadPhase,
  idle: idlePhase,
  faults: faultsPhase,
  attack: attackPhase,
  memory: memoryPhase,
} as const;
type PhaseName = keyof typeof PHASES;

const { values: flags } = parseArgs({
  options: {
    visitors: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    idle: { type: 'string', default: '10000' },
    only: { type: 'string', default: 'load,idle,faults,attack,memory' },
    port: { type: 'string', default: '5540' },
  },
});
const wholeNumber = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a whole number of at least 1, not ${text}`);
  return n;
};
const phases = flags.only.split(',').map((p) => p.trim());
for (const phase of phases)
  if (!Object.hasOwn(PHASES, phase))
    throw new Error(
      `--only takes load, idle, faults, attack and memory (comma-separated), not ${JSON.stringify(phase)}`,
    );

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = join(ROOT, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const problems: string[] = [];
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  flags,
  loadavgBefore: loadavg(),
};

const settings = {
  port: wholeNumber('port', flags.port),
  visitors: wholeNumber('visitors', flags.visitors),
  seconds: wholeNumber('seconds', flags.seconds),
  idleSessions: wholeNumber('idle', flags.idle),
};
const notBuilt = await ensureBuilt('site');
if (notBuilt) throw new Error(`the site could not be built: ${notBuilt}`);
// A scratch directory for the demos' files, and databases of the run's own in PostgreSQL and Redis (as
// the site acceptance tests do), so counting a store's records counts only this run's.
const isolated = await isolate({ servers: ['postgres', 'redis'] });
const stores = new Set(['ram', 'file', 'sqlite', 'custom']);
const skipped: string[] = [];
for (const kind of ['redis', 'postgres'] as const) {
  if (isolated.skip[kind]) skipped.push(isolated.skip[kind]);
  else stores.add(kind);
}
let site: SiteProcess | undefined;
let cleanedUp: Promise<void> | undefined;
/** Starts what the faults stopped, stops the site and its demos, drops the run's databases: once. */
const cleanUp = () => {
  restoreNow();
  cleanedUp ??= (async () => {
    await site?.stop();
    await isolated.cleanup();
  })();
  return cleanedUp;
};
// Whatever happens, no server is left stopped and no demo process left running: on an exception or a
// second Ctrl-C, synchronously; on a first Ctrl-C or SIGTERM, with the full clean-up.
process.on('exit', () => {
  restoreNow();
  site?.killNow();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleanedUp) process.exit(130);
    console.error(
      `\n${signal}: starting any server the faults stopped, stopping the site, dropping the run's databases`,
    );
    void cleanUp().finally(() => process.exit(130));
  });
}

const logFile = join(resultsDir, `loadtest-${stamp}.site.log`);
try {
  site = await startSite({
    port: settings.port,
    cwd: isolated.scratch,
    logFile,
    // Normal mode, not PUBLIC=1: its per-address rate limit (120 demo requests a minute) would refuse a
    // class whose 200 visitors all come from 127.0.0.1 (SESSION_LAB_RATE_LIMIT raises it, if wanted).
    env: { PUBLIC: undefined, SESSION_LAB_SHARED_URL: undefined },
  });
  console.log(
    `Session Lab at ${site.origin} (front server pid ${site.pid}; demo data in ${isolated.scratch}; log ${logFile}); load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (const line of skipped) console.log(`skipped: ${line}`);
  console.log();
  const ctx: Context = {
    ...settings,
    logFile,
    origin: site.origin,
    cwd: isolated.scratch,
    sitePid: site.pid,
    stores,
    problem(line) {
      problems.push(line);
    },
  };
  for (const phase of phases) {
    results[phase] = await PHASES[phase as PhaseName](ctx);
    console.log();
  }
  // Every fault was met by the same front server: the site recovered without a restart of its own.
  if (!site.running()) problems.push(`the front server (pid ${site.pid}) is no longer running`);
  else results.frontServer = `front server pid ${site.pid} ran throughout`;
} finally {
  await cleanUp();
}

results.loadavgAfter = loadavg();
results.skipped = skipped;
const file = join(resultsDir, `loadtest-${stamp}.json`);
writeFileSync(file, JSON.stringify({ ...results, problems }, null, 2));
console.log(
  problems.length === 0
    ? `All invariants held (${results.frontServer}).`
    : `Problems:\n- ${problems.join('\n- ')}`,
);
if (skipped.length > 0) console.log(`Not run: ${skipped.join('; ')}`);
console.log(`raw results: ${file}`);
process.exitCode = problems.length === 0 ? 0 : 1;
