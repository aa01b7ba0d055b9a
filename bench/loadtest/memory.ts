// The resident memory of every process of the site (the front server and each demo worker it forked),
// sampled every second while a phase runs: one row per pid, with its first sample (idle, before the
// phase's load), its peak and its last sample, and the whole series for the JSON file.
import { memoryKb, processTree, scriptOf } from '../proc.ts';

/** Issue 11 §4: public mode, front server and demo processes together, with its demos in use, fits a 1 GB server. */
export const MEMORY_BUDGET_MB = 700;

export interface MemoryRow {
  pid: number;
  /** The script it runs, until the report names its demo. */
  script: string;
  firstMb: number;
  peakMb: number;
  lastMb: number;
  /** When the first and the last sample were taken (ms since the epoch): a killed worker ends early. */
  firstAt: number;
  lastAt: number;
}

export interface MemorySampler {
  stop(): { rows: MemoryRow[]; series: { at: number; mb: Record<number, number> }[] };
}

export function sampleMemory(root: number, everyMs = 1_000): MemorySampler {
  const rows = new Map<number, MemoryRow>();
  const series: { at: number; mb: Record<number, number> }[] = [];
  const sample = () => {
    const at = Date.now();
    const mb: Record<number, number> = {};
    for (const pid of processTree(root)) {
      const kb = memoryKb(pid);
      if (!kb) continue;
      const now = kb.rss / 1024;
      mb[pid] = Math.round(now * 10) / 10;
      const row = rows.get(pid);
      if (row) Object.assign(row, { peakMb: Math.max(row.peakMb, now), lastMb: now, lastAt: at });
      else {
        const script = scriptOf(pid) ?? '?';
        rows.set(pid, { pid, script, firstMb: now, peakMb: now, lastMb: now, firstAt: at, lastAt: at });
      }
    }
    series.push({ at, mb });
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { rows: [...rows.values()], series };
    },
  };
}

/** The RSS of one process now, in MB; NaN once it is gone. */
export function rssMb(pid: number): number {
  const kb = memoryKb(pid);
  return kb ? kb.rss / 1024 : Number.NaN;
}
