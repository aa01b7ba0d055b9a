// The built site as `npm start` serves it (site/serve.ts: the front server, which starts the demo
// workers), in a process of its own, for the scripts that measure it from outside: the load test and
// the performance budgets.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { processTree } from './proc.ts';

const SERVE = fileURLToPath(new URL('../site/serve.ts', import.meta.url));
const START_MS = 30_000;
const STOP_MS = 10_000;

export interface SiteProcess {
  pid: number;
  origin: string;
  /** Whether the front server is still the process started here (it never restarted or died). */
  running(): boolean;
  /** SIGTERM (the site stops its demos, flushing their writes), then SIGKILL to whatever is left. */
  stop(): Promise<void>;
  /** For an exit handler, which cannot wait: SIGKILL to the front server and every demo worker. */
  killNow(): void;
}

export interface SiteOptions {
  port: number;
  /** The working directory: the demos keep their files and SQLite databases in its `.data/`. */
  cwd: string;
  /** Where the site's stdout and stderr go (its start line, the demos' logs). */
  logFile: string;
  /** Added to this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
}

/** Starts site/serve.ts (the site must be built) and resolves once its home page answers 200. */
export async function startSite({ port, cwd, logFile, env = {} }: SiteOptions): Promise<SiteProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
  childEnv.NODE_ENV = 'production';
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', SERVE], {
    cwd,
    env: childEnv,
    stdio: ['ignore', log, log],
  });
  closeSync(log); // the child has its own copy
  const pid = child.pid as number;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const origin = `http://127.0.0.1:${port}`;
  const killNow = () => {
    if (exited) return; // its pid may belong to another process by now; its workers left with it
    for (const each of processTree(pid).reverse()) {
      try {
        process.kill(each, 'SIGKILL');
      } catch {} // already gone
    }
  };
  const started = Date.now();
  while (!(await fetch(`${origin}/`).catch(() => null))?.ok) {
    if (exited || Date.now() - started > START_MS) {
      killNow();
      const tail = readFileSync(logFile, 'utf8').slice(-2_000);
      throw new Error(`the site did not start on ${origin} (see ${logFile}):\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    pid,
    origin,
    running: () => !exited,
    killNow,
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(killNow, STOP_MS);
      await gone;
      clearTimeout(timer);
    },
  };
}
