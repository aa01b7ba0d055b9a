// Turns the rounds into the summary table, the counter checks and the targets' verdicts.
import { CATALOG, type ServerId, TARGETS } from './catalog.ts';

/** One server in one round. */
export interface Measurement {
  server: ServerId;
  round: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Server CPU time (user + system) per response in the measured window. */
  cpuMicrosPerRequest: number;
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rssIdleMB?: number;
  rssPeakMB?: number;
  check: Check;
}

/** Σ of the session counters against the requests the server counted on arrival. */
export interface Check {
  sessions: number;
  sum: number;
  served: number;
  /** Responses autocannon and the setup saw; the rest were in flight when a run stopped. */
  seen: number;
  minPerSession: number;
  maxPerSession: number;
  /** True for a server-side store; false for the cookie store, whose counts live in the clients' cookies. */
  exact: boolean;
  ok: boolean;
}

export interface Summary {
  server: ServerId;
  skipped?: string;
  rounds: Measurement[];
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number;
  rssIdleMB?: number;
  rssPeakMB?: number;
}

export interface TargetVerdict {
  text: string;
  ratio?: number;
  /** The same comparison by server CPU per request (versus ÷ server): what a CPU-bound server would reach. */
  cpuRatio?: number;
  pass?: boolean;
  note?: string;
}

const median = (values: number[]): number => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export function summarise(server: ServerId, rounds: Measurement[], skipped: string | undefined): Summary {
  const peaks = rounds.map((r) => r.rssPeakMB).filter((v): v is number => v !== undefined);
  const idles = rounds.map((r) => r.rssIdleMB).filter((v): v is number => v !== undefined);
  return {
    server,
    ...(skipped ? { skipped } : {}),
    rounds,
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuMicrosPerRequest: median(rounds.map((r) => r.cpuMicrosPerRequest)),
    ...(peaks.length ? { rssPeakMB: Math.max(...peaks) } : {}),
    ...(idles.length ? { rssIdleMB: median(idles) } : {}),
  };
}

/**
 * server ÷ versus, as the median of the per-round ratios: servers run interleaved, so each round's
 * pair saw the same machine load (absolute req/s drift 10–20 % between sittings; ratios hold).
 */
export function ratio(summaries: Map<ServerId, Summary>, server: ServerId, versus: ServerId): number {
  const a = summaries.get(server);
  const b = summaries.get(versus);
  if (!a || !b || a.skipped || b.skipped) return Number.NaN;
  const perRound = a.rounds.flatMap((r) => {
    const other = b.rounds.find((o) => o.round === r.round);
    return other ? [r.requestsPerSecond / other.requestsPerSecond] : [];
  });
  return median(perRound);
}

export function verdicts(summaries: Map<ServerId, Summary>): TargetVerdict[] {
  return TARGETS.map((target) => {
    const missing = [target.server, target.versus].filter((id) => {
      const s = summaries.get(id);
      return !s || s.skipped;
    });
    if (missing.length > 0) {
      const why = missing.map((id) => {
        const s = summaries.get(id);
        return s?.skipped ? `${id} skipped: ${s.skipped}` : `${id} not run`;
      });
      return { text: target.text, note: why.join('; ') };
    }
    const r = ratio(summaries, target.server, target.versus);
    const cpuRatio =
      (summaries.get(target.versus)?.cpuMicrosPerRequest ?? Number.NaN) /
      (summaries.get(target.server)?.cpuMicrosPerRequest ?? Number.NaN);
    return { text: target.text, ratio: r, cpuRatio, pass: r >= target.atLeast };
  });
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || !Number.isFinite(n)
    ? '—'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The table as Markdown, so it pastes into bench/RESULTS.md as it is. */
export function table(summaries: Map<ServerId, Summary>): string {
  const rows = [
    '| server | req/s | p50 ms | p99 ms | server CPU µs/req | RSS MB idle → peak | ÷ A (bare) | ÷ express-session | counters |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const [id, s] of summaries) {
    const entry = CATALOG[id];
    if (s.skipped) {
      rows.push(`| ${entry.label} | skipped: ${s.skipped.replace(/\|/g, '\\|')} | | | | | | | |`);
      continue;
    }
    const vsBare = ratio(summaries, id, 'bare');
    const counterpart = entry.counterpart;
    const vsPeer = counterpart ? ratio(summaries, id, counterpart) : Number.NaN;
    const peerText =
      counterpart && Number.isFinite(vsPeer) ? `${fmt(vsPeer, 2)} (${letter(counterpart)})` : '—';
    const failed = s.rounds.filter((r) => !r.check.ok).length;
    const bad = s.rounds.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
    const checkText = `${failed === 0 ? 'ok' : `MISMATCH in ${failed} round(s)`}${bad ? `, ${bad} non-2xx/errors` : ''}`;
    rows.push(
      `| ${entry.label} | ${fmt(s.requestsPerSecond)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.cpuMicrosPerRequest)} | ${fmt(s.rssIdleMB)} → ${fmt(s.rssPeakMB)} | ${fmt(vsBare, 2)} | ${peerText} | ${checkText} |`,
    );
  }
  return rows.join('\n');
}

function letter(id: ServerId): string {
  return CATALOG[id].label.split('.')[0] ?? id;
}

export function targetLines(list: TargetVerdict[]): string {
  return list
    .map((v) =>
      v.pass === undefined
        ? `- NOT MEASURED  ${v.text} (${v.note})`
        : `- ${v.pass ? 'PASS' : 'FAIL'}  ${v.text}: measured ${fmt(v.ratio, 2)}× ` +
          `(by server CPU per request: ${fmt(v.cpuRatio, 2)}×)`,
    )
    .join('\n');
}

export function checkLine(id: ServerId, m: Measurement): string {
  const c = m.check;
  const inFlight = c.served - c.seen;
  let relation: string;
  if (c.sum > c.served) relation = `Σ counters ${fmt(c.sum)} > ${fmt(c.served)} requests that arrived`;
  else if (c.sum < c.seen)
    relation = `Σ counters ${fmt(c.sum)} < ${fmt(c.seen)} responses received: ${fmt(c.seen - c.sum)} increments LOST`;
  else if (c.sum === c.served) relation = `Σ counters ${fmt(c.sum)} = ${fmt(c.served)} requests served`;
  else if (!c.exact)
    relation = `Σ counters ${fmt(c.sum)} = ${fmt(c.seen)} responses received (the data rides in the cookie; the ${fmt(inFlight)} answers in flight at stop never reached a client)`;
  else
    relation = `Σ counters ${fmt(c.sum)}: all ${fmt(c.seen)} responses received are counted; ${fmt(c.served - c.sum)} of the ${fmt(inFlight)} requests whose client hung up at stop were never saved`;
  const spread =
    c.sessions > 1 ? `; ${c.sessions} sessions, ${fmt(c.minPerSession)}–${fmt(c.maxPerSession)} each` : '';
  const bad = m.non2xx + m.errors + m.timeouts;
  const failures = bad
    ? `; ${fmt(m.non2xx)} non-2xx, ${fmt(m.errors)} errors, ${fmt(m.timeouts)} timeouts`
    : '';
  return `  check ${id} round ${m.round}: ${c.ok ? 'OK' : 'FAILED'}: ${relation} (autocannon + setup saw ${fmt(c.seen)}; ${fmt(inFlight)} in flight at stop)${spread}${failures}`;
}
