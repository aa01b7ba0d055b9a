// What Linux's /proc says about a process and the processes it started: the bench sums a server's tree,
// the load test reports each process of the site (front server and demo workers) on its own.
import { readdirSync, readFileSync } from 'node:fs';

/** A process and its descendants (Linux: /proc/<pid>/task/<tid>/children); just the pid elsewhere. */
export function processTree(root: number | undefined): number[] {
  if (root === undefined) return [];
  const all = [root];
  for (let i = 0; i < all.length; i++) {
    const pid = all[i] as number;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (children) all.push(...children.split(' ').map(Number));
      } catch {
        // the thread or process ended meanwhile
      }
    }
  }
  return all;
}

/** Resident memory now (`VmRSS`) and at its peak since the process started (`VmHWM`), in KB; null once dead. */
export function memoryKb(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const [rss, peak] = [kb('VmRSS'), kb('VmHWM')];
    // A process that has died but is not reaped yet (a zombie) still has a status, without memory lines.
    return Number.isNaN(rss) ? null : { rss, peak };
  } catch {
    return null;
  }
}

/** The script a process runs (`sandbox/cli/worker.ts`), from its command line; null once gone. */
export function scriptOf(pid: number): string | null {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const script = argv.find((part) => /\.(ts|mjs|js)$/.test(part)) ?? argv[0] ?? '?';
    return script.split('/').slice(-3).join('/');
  } catch {
    return null;
  }
}
