// Latency percentiles, per-demo figures and small Markdown tables for the load test's printed report.
import { Latencies } from '../load.ts';
import type { MemoryRow } from './memory.ts';
import type { Sample } from './visitor.ts';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

export interface DemoStats {
  demo: string;
  requests: number;
  /** Answered with the status the step expects (200, or the name form's 303). */
  ok: number;
  fiveXx: number;
  /** 5xx that were not the site's clear 502/503 page (a 500, a stack trace, a page without role="alert"). */
  unclear: number;
  /** Other unexpected statuses (4xx, a 200 where a 303 was due). */
  otherStatus: number;
  /** No answer: connection refused or cut, or nothing within 15 s. */
  noAnswer: number;
  p50: number;
  p99: number;
  maxMs: number;
  /** How many of each status, `{ "200": 1234, "503": 12 }`. */
  statuses: Record<string, number>;
}

/** Per demo, sorted by name. */
export function statsByDemo(samples: readonly Sample[]): DemoStats[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const group = groups.get(sample.demo);
    if (group) group.push(sample);
    else groups.set(sample.demo, [sample]);
  }
  return [...groups.keys()].sort().map((demo) => {
    const group = groups.get(demo) as Sample[];
    const latencies = new Latencies();
    const statuses: Record<string, number> = {};
    for (const sample of group) {
      latencies.add(sample.ms);
      statuses[sample.status] = (statuses[sample.status] ?? 0) + 1;
    }
    return {
      demo,
      requests: group.length,
      ok: group.filter((s) => s.expected).length,
      fiveXx: group.filter((s) => s.status >= 500).length,
      unclear: group.filter((s) => s.status >= 500 && !s.clear).length,
      otherStatus: group.filter((s) => !s.expected && s.status > 0 && s.status < 500).length,
      noAnswer: group.filter((s) => s.status === 0).length,
      p50: latencies.percentile(50),
      p99: latencies.percentile(99),
      maxMs: Math.max(...group.map((s) => s.ms)),
      statuses,
    };
  });
}

/** The memory table: each process named (front server, or the demo its worker serves), RSS in MB. */
export function memoryTable(rows: MemoryRow[], nameOf: (row: MemoryRow) => string): string {
  return table(
    ['pid', 'process', 'RSS MB idle (first sample)', 'peak', 'end (last sample)', 'sampled for'],
    rows.map((r) => [
      r.pid,
      nameOf(r),
      fixed(r.firstMb),
      fixed(r.peakMb),
      fixed(r.lastMb),
      `${fixed((r.lastAt - r.firstAt) / 1000, 0)} s`,
    ]),
  );
}

/** The per-demo table: requests, what went wrong, latency. */
export function demoTable(stats: DemoStats[]): string {
  return table(
    [
      'demo',
      'requests',
      '5xx',
      'of which not the clear page',
      'other unexpected status',
      'no answer',
      'p50 ms',
      'p99 ms',
      'max ms',
    ],
    stats.map((s) => [
      s.demo,
      s.requests,
      s.fiveXx,
      s.unclear,
      s.otherStatus,
      s.noAnswer,
      fixed(s.p50),
      fixed(s.p99),
      fixed(s.maxMs, 0),
    ]),
  );
}
