// `npm run bench [-- --quick] [-- --only ram,file]`: every server, one at a time in its own process,
// interleaved over rounds; prints the table, the counter checks and the targets, and writes the raw
// results to bench/results/<timestamp>.json.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CATALOG, isServerId, SERVER_IDS, type ServerId } from './catalog.ts';
import { startServer } from './child-process.ts';
import { load } from './load.ts';
import {
  checkLine,
  type Measurement,
  type Summary,
  summarise,
  table,
  targetLines,
  verdicts,
} from './report.ts';
import { createSessions, readCounters } from './sessions.ts';

/** How long the counter check waits for requests that were in flight when the load stopped. */
const DRAIN_MS = 5_000;

const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
const formatLoad = (load: number[]) => load.map((l) => l.toFixed(2)).join(' ');

const USAGE = `npm run bench -- [--quick] [--only ram,file,...] [--rounds N] [--warmup S] [--seconds S] [--connections N]
servers: ${SERVER_IDS.join(', ')}`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const positive = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a number above 0, got ${JSON.stringify(value)}\n${USAGE}`);
    process.exit(2);
  }
  return n;
};

const settings = {
  warmupSeconds: positive('warmup', values.warmup, values.quick ? 1 : 2),
  seconds: positive('seconds', values.seconds, values.quick ? 2 : 5),
  rounds: Math.round(positive('rounds', values.rounds, values.quick ? 1 : 2)),
  connections: Math.round(positive('connections', values.connections, 50)),
};

const picked =
  values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? SERVER_IDS;
const unknown = picked.filter((name) => !isServerId(name));
if (unknown.length > 0) {
  console.error(`unknown server(s): ${unknown.join(', ')}\n${USAGE}`);
  process.exit(2);
}
const servers = SERVER_IDS.filter((id) => picked.includes(id));

if (!process.version.startsWith('v22.'))
  console.warn(`warning: Node ${process.version}; the targets assume Node 22`);

const startedAt = new Date();
const loadAverageAtStart = loadavg();
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;
console.log(
  `bench ${startedAt.toISOString()}: ${machine}, load average ${formatLoad(loadAverageAtStart)}\n` +
    `${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured, ` +
    `${settings.rounds} round(s), servers: ${servers.join(', ')}\n`,
);

const dir = await mkdtemp(join(tmpdir(), 'session-lab-bench-'));
const measurements = new Map<ServerId, Measurement[]>(servers.map((id) => [id, []]));
const skipped = new Map<ServerId, string>();

try {
  for (let round = 1; round <= settings.rounds; round++) {
    for (const id of servers) {
      if (skipped.has(id)) continue;
      const result = await measure(id, round);
      if (typeof result === 'string') {
        skipped.set(id, result);
        console.log(`  ${id.padEnd(15)} skipped: ${result}`);
        continue;
      }
      measurements.get(id)?.push(result);
      console.log(
        `  ${id.padEnd(15)} round ${round}: ${Math.round(result.requestsPerSecond).toLocaleString('en-US').padStart(7)} req/s, ` +
          `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
          `${result.cpuMicrosPerRequest.toFixed(0)} µs CPU/request, peak RSS ${result.rssPeakMB?.toFixed(0) ?? '?'} MB`,
      );
      console.log(checkLine(id, result));
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

const summaries = new Map<ServerId, Summary>(
  servers.map((id) => [id, summarise(id, measurements.get(id) ?? [], skipped.get(id))]),
);
const targets = verdicts(summaries);
console.log(
  `\n${table(summaries)}\n\nTargets (ratios: median over rounds of same-round req/s ratios):\n${targetLines(targets)}`,
);

const resultsDir = new URL('./results/', import.meta.url);
await mkdir(resultsDir, { recursive: true });
const file = new URL(`${startedAt.toISOString().replace(/[:.]/g, '-')}.json`, resultsDir);
await writeFile(
  file,
  `${JSON.stringify(
    {
      startedAt,
      machine,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
      settings,
      summaries: [...summaries.values()],
      targets,
    },
    null,
    2,
  )}\n`,
);
console.log(
  `\nload average at the end: ${formatLoad(loadavg())} (1, 5, 15 min; other processes share these ` +
    `${cpus().length} cores)\nraw results: ${file.pathname}`,
);

/** Start, make the sessions, warm up, measure, check the counters, stop. A string means skipped. */
async function measure(id: ServerId, round: number): Promise<Measurement | string> {
  const entry = CATALOG[id];
  const started = await startServer(id, dir);
  if (started.kind === 'skip') return started.reason;
  const server = started.server;
  let cookies: string[] = [];
  try {
    const jars = entry.sessions ? await createSessions(server.url, settings.connections) : [];
    const idle = server.memory();
    const common = {
      url: `${server.url}/`,
      jars,
      connections: settings.connections,
      follow: !!entry.followCookies,
    };
    const exact = !entry.followCookies;
    /**
     * The counters once the requests still in flight are done: nothing new arrives, so wait until the
     * sum reaches what arrived, or stops moving for a second (a request whose client hung up may never
     * be saved), or DRAIN_MS.
     */
    const settledCounts = async (served: number): Promise<number[]> => {
      let counts = await readCounters(server.url, jars);
      let still = 0;
      for (
        let waited = 0;
        exact && total(counts) < served && still < 1_000 && waited < DRAIN_MS;
        waited += 100
      ) {
        await sleep(100);
        const next = await readCounters(server.url, jars);
        still = total(next) === total(counts) ? still + 100 : 0;
        counts = next;
      }
      return counts;
    };
    const warm = await load({ ...common, seconds: settings.warmupSeconds });
    // Let the warm-up's last requests finish first: one landing inside the measured run would share a
    // session with that connection's next request (express-session would lose one of the two updates).
    await settledCounts(await server.served());
    const cpuBefore = server.cpuSeconds();
    const run = await load({ ...common, seconds: settings.seconds });
    const cpuMicros = ((server.cpuSeconds() - cpuBefore) * 1e6) / run.responses;
    const peak = server.memory();
    const served = await server.served();
    cookies = jars.map((jar) => jar.header);
    const counts = await settledCounts(served);
    const sum = total(counts);
    const seen = jars.length + warm.responses + run.responses;
    // Every response a client received is counted, and nothing that never arrived is; more than one
    // request per session proves each connection kept its own cookie.
    const ok = seen <= sum && sum <= served && (!entry.sessions || Math.min(...counts) > 1);
    return {
      server: id,
      round,
      requestsPerSecond: run.requestsPerSecond,
      p50: run.p50,
      p99: run.p99,
      cpuMicrosPerRequest: cpuMicros,
      responses: run.responses,
      non2xx: run.non2xx + warm.non2xx,
      errors: run.errors + warm.errors,
      timeouts: run.timeouts + warm.timeouts,
      ...(idle.rssMB !== undefined ? { rssIdleMB: idle.rssMB } : {}),
      ...(peak.peakMB !== undefined ? { rssPeakMB: peak.peakMB } : {}),
      check: {
        sessions: counts.length,
        sum,
        served,
        seen,
        minPerSession: Math.min(...counts),
        maxPerSession: Math.max(...counts),
        exact,
        ok,
      },
    };
  } catch (error) {
    return `failed during the run: ${(error as Error).message}`;
  } finally {
    await server.stop(cookies);
  }
}
