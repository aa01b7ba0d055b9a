// The site's process tree (the front server and every demo worker it forked), and its memory over time.
import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  name: string;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = cmdline.find((part) => /\.(ts|mjs|js)$/.test(part)) ?? cmdline[0] ?? '?';
    return { pid, ppid, name: script.split('/').slice(-2).join('/') };
  } catch {
    return null; // gone between readdir and read
  }
}

/** `root` and all its descendants. */
export function processTree(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readProc(Number(entry)))
    .filter((proc): proc is Proc => proc !== null);
  const tree = all.filter((proc) => proc.pid === root);
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i] as Proc;
    tree.push(...all.filter((proc) => proc.ppid === parent.pid));
  }
  return tree;
}

export function rssMb(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

export interface MemoryRow {
  pid: number;
  name: string;
  first: number;
  peak: number;
  last: number;
}

/** Samples the RSS of every process in the tree every `everyMs` until `stop()`; one row per pid seen. */
export function sampleMemory(root: number, everyMs = 1_000) {
  const rows = new Map<number, MemoryRow>();
  const sample = () => {
    for (const proc of processTree(root)) {
      const mb = rssMb(proc.pid);
      if (mb === null) continue;
      const row = rows.get(proc.pid);
      if (row) {
        row.peak = Math.max(row.peak, mb);
        row.last = mb;
      } else rows.set(proc.pid, { pid: proc.pid, name: proc.name, first: mb, peak: mb, last: mb });
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): MemoryRow[] {
      clearInterval(timer);
      sample();
      return [...rows.values()];
    },
  };
}
