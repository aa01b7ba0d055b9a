// Several processes serving one app, like a real deployment: N forked workers, each on its own loopback
// port, behind a round-robin proxy on the public port. A worker that dies is reported and restarted.
// This is also the API the site uses to run demos it can crash and restart:
//
//   const sandbox = await startSandbox({ appsModule, appName: 'counter', config, workers: 2 });
//   sandbox.url;                               // http://127.0.0.1:PORT/
//   await sandbox.killWorker(0, 'SIGKILL');    // a crash: RAM sessions in that process are gone
//   await sandbox.restartWorker(0);            // a clean restart (flushes buffered writes first)
//   await sandbox.stop();                      // everything down, buffered writes flushed
//
// startHostSandbox is the same machinery around host workers (host.ts): one process serving many apps,
// each at its own base path, mounted by a resolver module on first request (the site's public mode).
// Every start makes a random token (worker-token.ts): the workers answer only requests that carry it.
import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { SessionConfig } from '../engine/config.ts';
import type { HostLimits } from './host.ts';
import { roundRobinProxy, type Upstream } from './proxy.ts';
import { withCookieSecret } from './secret.ts';
import { DEFAULT_HOST } from './server.ts';
import type { Serving, WorkerCommand, WorkerReport } from './worker.ts';
import { newWorkerToken } from './worker-token.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** A worker that is not serving within this long is killed and reported. */
const START_MS = 20_000;
/** A worker that does not stop within this long after `stop` is killed (its buffered writes are lost). */
const STOP_MS = 10_000;

/** What every group of supervised workers takes. */
export interface GroupOptions {
  /** How many worker processes (default 2). */
  workers?: number;
  /** The public port; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** Restart a worker that dies (default true). The site turns it off to leave a crashed process down. */
  autoRestart?: boolean;
  /** Where deaths and restarts are reported (default: stderr). */
  log?: (line: string) => void;
  /**
   * The round-robin proxy also answers only requests carrying the token (`token`): set when another
   * server (the site) is the one in front. Unset, the proxy's port is the public one (`npm run sandbox`).
   */
  guardProxy?: boolean;
}

export interface SandboxOptions extends GroupOptions {
  /** The module whose `APPS` (apps.ts `AppRegistryModule`) holds the app; each worker imports it. */
  appsModule: string;
  appName: string;
  config: SessionConfig;
  /** The path the app is mounted at, ending in `/` (default `/`). */
  base?: string;
  /** The site's shared state URL, passed to every worker (server.ts `sharedUrl`). */
  sharedUrl?: string;
}

export interface HostSandboxOptions extends GroupOptions, HostLimits {
  /** The resolver module's path (host.ts `ResolverModule`), imported by each host worker. */
  resolver: string;
  /** Passed to its `resolver(options)`; must survive IPC (JSON). */
  resolverOptions?: unknown;
}

export interface WorkerInfo {
  pid: number | undefined;
  port: number | undefined;
  state: Upstream['state'];
}

/** Supervised workers behind their round-robin proxy. */
export interface ProcessGroup {
  url: string;
  port: number;
  pid: number;
  /** A snapshot of the workers, in routing order. */
  readonly workers: WorkerInfo[];
  /** What a request to a worker (or to a guarded proxy) must carry in `x-session-lab-token`. */
  readonly token: string;
  /** One line per distinct start-up warning from the workers (e.g. a store that is not reachable yet). */
  readonly warnings: string[];
  /** Stops worker `index` cleanly (if it runs) and starts a fresh one; resolves when it serves. */
  restartWorker(index: number): Promise<WorkerInfo>;
  /** Sends `signal` (default SIGKILL) and resolves once the process is gone. Restarted if autoRestart. */
  killWorker(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Stops the proxy and every worker cleanly (buffered writes are flushed). */
  stop(): Promise<void>;
}

export interface Sandbox extends ProcessGroup {
  config: SessionConfig;
  notes: string[];
}

class Slot implements Upstream {
  readonly number: number;
  child: ChildProcess | undefined;
  port: number | undefined;
  state: Upstream['state'] = 'down';
  /** Set while a stop or kill was asked for, so the exit is not reported as a crash. */
  expectedExit = false;
  constructor(number: number) {
    this.number = number;
  }
  get pid() {
    return this.child?.pid;
  }
  info(): WorkerInfo {
    return { pid: this.pid, port: this.port, state: this.state };
  }
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  // Resolved once here, so every worker signs cookies with the same secret.
  const { config, note } = withCookieSecret(options.config);
  const base = options.base ?? '/';
  const serving: Serving = {
    kind: 'app',
    appsModule: options.appsModule,
    appName: options.appName,
    config,
    base,
    ...(options.sharedUrl ? { sharedUrl: options.sharedUrl } : {}),
  };
  const group = await supervise(options, serving, base);
  return Object.assign(group, { config, notes: note ? [note] : [] });
}

/** Host workers (host.ts): each serves every app its resolver mounts, from one port. */
export function startHostSandbox(options: HostSandboxOptions): Promise<ProcessGroup> {
  return supervise(
    options,
    {
      kind: 'host',
      resolver: options.resolver,
      options: options.resolverOptions,
      ...(options.maxApps === undefined ? {} : { maxApps: options.maxApps }),
      ...(options.keepMinutes === undefined ? {} : { keepMinutes: options.keepMinutes }),
    },
    '/',
  );
}

async function supervise(options: GroupOptions, serving: Serving, base: string): Promise<ProcessGroup> {
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? ((line: string) => console.error(line));
  const autoRestart = options.autoRestart ?? true;
  const token = newWorkerToken();
  const count = options.workers ?? 2;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be 1 or more, got ${count}`);
  const slots = Array.from({ length: count }, (_, i) => new Slot(i + 1));
  const warnings = new Set<string>();
  let stopping = false;

  const proxy = roundRobinProxy(host, () => slots, { token, guard: options.guardProxy === true });
  const port = await new Promise<number>((resolve, reject) => {
    proxy.server.once('error', reject);
    proxy.server.listen(options.port ?? 0, host, () => {
      proxy.server.off('error', reject);
      resolve((proxy.server.address() as AddressInfo).port);
    });
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      throw new Error(`port ${options.port} on ${host} is in use; choose another`);
    throw error;
  });
  const publicOrigin = `http://${host}:${port}`;

  /** Forks a worker into the slot and resolves when it serves. */
  function spawn(slot: Slot): Promise<WorkerInfo> {
    const child = fork(WORKER_ENTRY, [], {
      execPath: process.execPath,
      execArgv: ['--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    Object.assign(slot, { child, port: undefined, state: 'starting', expectedExit: false });
    return new Promise((resolve, reject) => {
      let settled = false;
      let served = false;
      const timer = setTimeout(() => {
        fail(`worker #${slot.number} was not serving after ${START_MS / 1000} s`);
        child.kill('SIGKILL');
      }, START_MS);
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new Error(message));
      };
      child.on('message', (report: WorkerReport) => {
        if (report.type === 'failed') {
          fail(report.message);
          return;
        }
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        served = true;
        slot.port = report.port;
        slot.state = 'ready';
        for (const warning of report.warnings) warnings.add(warning);
        resolve(slot.info());
      });
      // fork failures and IPC to a process that just died arrive here; the exit handler does the rest.
      child.on('error', (error) => fail(`worker #${slot.number}: ${error.message}`));
      child.on('exit', (code, signal) => {
        fail(`worker #${slot.number} exited before serving (${signal ?? `code ${code}`})`);
        if (slot.child !== child) return;
        slot.state = 'down';
        slot.port = undefined;
        if (stopping || slot.expectedExit) return;
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        log(
          `[session-lab] worker #${slot.number} (pid ${child.pid}) ${how}` +
            (autoRestart && served ? '; restarting it' : ''),
        );
        // A worker that never served would fail again the same way; don't loop on it.
        if (autoRestart && served) {
          spawn(slot).then(
            (info) => log(`[session-lab] worker #${slot.number} is back as pid ${info.pid}`),
            (error: Error) => log(`[session-lab] worker #${slot.number} did not come back: ${error.message}`),
          );
        }
      });
      const start: WorkerCommand = { type: 'start', serving, host, publicOrigin, token };
      child.send(start);
    });
  }

  /** Ends the slot's process (cleanly with `stop`, or by signal) and resolves once it has exited. */
  function end(slot: Slot, signal?: NodeJS.Signals, expected = true): Promise<void> {
    const child = slot.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    slot.expectedExit = expected;
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (signal) child.kill(signal);
      else if (child.connected) child.send({ type: 'stop' } satisfies WorkerCommand);
      else child.kill('SIGTERM');
    });
  }

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopping = true;
    stopped ??= (async () => {
      proxy.close();
      await Promise.all(slots.map((slot) => end(slot)));
    })();
    return stopped;
  };

  try {
    await Promise.all(slots.map(spawn));
  } catch (error) {
    await stop();
    throw error;
  }

  const slotAt = (index: number): Slot => {
    const slot = slots[index];
    if (!slot) throw new RangeError(`no worker ${index}; the indexes are 0 to ${slots.length - 1}`);
    return slot;
  };

  return {
    url: `${publicOrigin}${base}`,
    port,
    pid: process.pid,
    get workers() {
      return slots.map((slot) => slot.info());
    },
    token,
    get warnings() {
      return [...warnings];
    },
    async restartWorker(index) {
      const slot = slotAt(index);
      await end(slot);
      return spawn(slot);
    },
    async killWorker(index, signal = 'SIGKILL') {
      // A kill asked for is still a crash for the process: it is reported and, with autoRestart, restarted.
      await end(slotAt(index), signal, false);
    },
    stop,
  };
}
