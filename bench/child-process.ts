// The parent's side of a bench server: start it in its own Node 22 process, wait until it listens,
// ask it how many requests it took, read its memory, stop it.
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './build.ts';
import { CATALOG, type ServerId } from './catalog.ts';
import { memoryKb, processTree } from './proc.ts';
import type { FromChild, ToChild } from './servers/child.ts';

const CHILD = fileURLToPath(new URL('./servers/child.ts', import.meta.url));
const START_MS = 15_000;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

export type Started = { kind: 'ready'; server: RunningServer } | { kind: 'skip'; reason: string };

export class RunningServer {
  readonly port: number;
  /** The counter page's path without its final `/` (empty for `/`): `${url}/` is the page. */
  readonly #base: string;
  readonly #child: ChildProcess;

  constructor(child: ChildProcess, port: number, path = '/') {
    this.#child = child;
    this.port = port;
    this.#base = path.replace(/\/$/, '');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${this.#base}`;
  }

  /**
   * Resident memory now and at its peak (Linux /proc; undefined elsewhere), in MB, of the server process
   * and the processes it started (the site's demo worker), summed.
   */
  memory(): { rssMB?: number; peakMB?: number } {
    try {
      let rssKB = 0;
      let peakKB = 0;
      for (const pid of processTree(this.#child.pid)) {
        const kb = memoryKb(pid);
        if (!kb) throw new Error(`process ${pid} is gone`);
        rssKB += kb.rss;
        peakKB += kb.peak;
      }
      return { rssMB: rssKB / 1024, peakMB: peakKB / 1024 };
    } catch {
      return {};
    }
  }

  /**
   * CPU seconds the server process has used (user + system, Linux /proc; NaN elsewhere). Per request,
   * it is the steadiest number on a shared machine: other processes slow a server down, they do not
   * make its work bigger.
   */
  cpuSeconds(): number {
    try {
      let ticks = 0;
      // With the processes it started: the site's work is split between it and the demo worker.
      for (const pid of processTree(this.#child.pid)) {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the `(command)`, which may itself hold spaces: utime and stime are the 12th and 13th.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      }
      return ticks / CLOCK_TICKS;
    } catch {
      return Number.NaN;
    }
  }

  /** How many requests for the counter page the server has taken, counted as they arrived. */
  async served(): Promise<number> {
    const reply = await this.#ask({ type: 'served' }, 'served');
    return reply.type === 'served' ? reply.served : Number.NaN;
  }

  /** Deletes the given sessions from the store, then ends the process. */
  async stop(cookies: string[]): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.#ask({ type: 'stop', cookies }, 'stopped').catch(() => {});
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  #ask(message: ToChild, answer: FromChild['type']): Promise<FromChild> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: FromChild) => {
        if (reply.type !== answer) return;
        this.#child.off('message', onMessage);
        this.#child.off('exit', onExit);
        resolve(reply);
      };
      const onExit = () => reject(new Error('the server process exited'));
      this.#child.on('message', onMessage);
      this.#child.once('exit', onExit);
      this.#child.send(message);
    });
  }
}

/** Starts one server with the same Node as this process, NODE_ENV=production, cwd = the scratch dir. */
export async function startServer(id: ServerId, dir: string): Promise<Started> {
  const { build, path } = CATALOG[id];
  // Before the start timer: building the site takes far longer than starting it.
  const notBuilt = build ? await ensureBuilt(build) : undefined;
  if (notBuilt) return { kind: 'skip', reason: notBuilt };
  const child = fork(CHILD, [id], {
    execPath: process.execPath,
    execArgv: [
      '--disable-warning=ExperimentalWarning',
      // BENCH_CPU_PROF=<dir>: each server writes a .cpuprofile there (open it in Chrome DevTools).
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production', BENCH_DIR: dir },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ kind: 'skip', reason: `did not start within ${START_MS / 1000} s` });
    }, START_MS);
    child.once('message', (message: FromChild) => {
      clearTimeout(timer);
      if (message.type === 'ready')
        resolve({ kind: 'ready', server: new RunningServer(child, message.port, path) });
      else if (message.type === 'skip') resolve({ kind: 'skip', reason: message.reason });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ kind: 'skip', reason: `exited with code ${code} before listening: ${stderr.trim()}` });
    });
  });
}
