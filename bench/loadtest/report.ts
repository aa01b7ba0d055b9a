// Latency percentiles and small Markdown tables for the load test's printed report.
import type { Sample } from './visitor.ts';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface DemoStats {
  demo: string;
  requests: number;
  fiveXx: number;
  unclear: number;
  failed: number;
  p50: number;
  p99: number;
}

/** Per demo: requests, 5xx, 5xx without a clear page, connection failures, p50 and p99 in ms. */
export function statsByDemo(samples: readonly Sample[]): DemoStats[] {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) groups.set(sample.demo, [...(groups.get(sample.demo) ?? []), sample]);
  return [...groups].sort().map(([demo, group]) => {
    const ms = group.map((s) => s.ms).sort((a, b) => a - b);
    return {
      demo,
      requests: group.length,
      fiveXx: group.filter((s) => s.status >= 500).length,
      unclear: group.filter((s) => s.status >= 500 && !s.clear).length,
      failed: group.filter((s) => s.status === 0).length,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
    };
  });
}

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
