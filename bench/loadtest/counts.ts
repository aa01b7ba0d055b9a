// After a crowd has stopped: every visitor's number on every counting demo, read back from the store
// through the inspector, set beside the clicks the site answered with 200 and the counts it showed.
import { fixed, table } from './report.ts';
import type { CountingDemo, Visitor } from './visitor.ts';

export interface CountCheck {
  demo: string;
  /** Visitors who got at least one 200 from the demo. */
  visitors: number;
  /** Clicks answered 200 (acknowledged increments). */
  clicks: number;
  /** Σ of the counts read back from the store. */
  stored: number;
  /** Σ over visitors of (clicks − stored) where positive: acknowledged increments the store does not hold. */
  missing: number;
  /** Σ over visitors of (stored − clicks) where positive: increments kept for requests not answered 200. */
  extra: number;
  /** Σ over visitors of (last count shown − stored) where positive: the store went back on an answer. */
  belowLastShown: number;
  /** From the answers as they came (see Tally): steps back, restarts at 1 (counts forgotten), jumps. */
  backwards: number;
  restarts: number;
  forgotten: number;
  jumps: number;
}

export async function readBack(visitors: Visitor[], demos: CountingDemo[]): Promise<CountCheck[]> {
  const checks: CountCheck[] = [];
  for (const demo of demos) {
    const check: CountCheck = {
      demo: demo.id,
      visitors: 0,
      clicks: 0,
      stored: 0,
      missing: 0,
      extra: 0,
      belowLastShown: 0,
      backwards: 0,
      restarts: 0,
      forgotten: 0,
      jumps: 0,
    };
    // 20 visitors at a time: the read-back is not the load.
    const queue = visitors.filter((v) => v.tallies.has(demo.id));
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let visitor = queue.shift(); visitor; visitor = queue.shift()) {
          const tally = visitor.tallies.get(demo.id);
          const stored = await visitor.storedCount(demo);
          if (!tally || stored === null) continue;
          check.visitors++;
          check.clicks += tally.clicks;
          check.stored += stored;
          check.missing += Math.max(0, tally.clicks - stored);
          check.extra += Math.max(0, stored - tally.clicks);
          check.belowLastShown += Math.max(0, tally.last - stored);
          check.backwards += tally.backwards;
          check.restarts += tally.restarts;
          check.forgotten += tally.forgotten;
          check.jumps += tally.jumps;
        }
      }),
    );
    checks.push(check);
  }
  return checks;
}

export function countTable(checks: CountCheck[]): string {
  return table(
    [
      'demo',
      'visitors',
      'clicks answered 200',
      'Σ counts in the store',
      'acknowledged but missing',
      'stored beyond the 200s',
      'answers a step back',
      'restarts at 1 (counts forgotten)',
    ],
    checks.map((c) => [
      c.demo,
      c.visitors,
      c.clicks,
      c.stored,
      c.missing,
      c.extra,
      c.backwards,
      `${c.restarts} (${fixed(c.forgotten, 0)})`,
    ]),
  );
}
