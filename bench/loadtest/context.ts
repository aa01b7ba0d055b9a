// What every phase of the load test gets: the running site, the run's settings, and where to put what
// it found.

export interface Context {
  origin: string;
  /** The site's working directory: its demos keep `.data/` here. */
  cwd: string;
  /** The front server's pid (site/serve.ts); the demo workers are its children. */
  sitePid: number;
  /** The front server's port; a phase that starts a site of its own uses the next one. */
  port: number;
  /** The front server's log (`bench/results/loadtest-<time>.site.log`). */
  logFile: string;
  visitors: number;
  seconds: number;
  idleSessions: number;
  /** Stores whose server answers (RAM, file and SQLite always; Redis and PostgreSQL when reachable). */
  stores: Set<string>;
  /** A broken invariant, in one line; any makes the script exit 1. */
  problem(line: string): void;
}

/** A stopwatch line with the time of day: `   08:51:02 Redis stopped`. */
export function mark(what: string): void {
  console.log(`   ${new Date().toISOString().slice(11, 19)} ${what}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
