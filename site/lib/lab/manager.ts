// Starts and supervises the demo processes: one sandbox (1 or 2 real worker processes behind the
// sandbox's own round-robin proxy) per demo variant, started on first use and stopped when idle.
// With `hostVariants` (public mode, where nobody kills or restarts a demo) every one-worker variant is
// served instead by one shared host process (sandbox/cli/host.ts, mounted by ./host-mounts.ts), which
// is never stopped to make room; only the two-worker variants keep processes of their own.
// Crashes and stops are recorded so the inspector can say what happened; the supervisor restarts the worker.
// That history lives in the site's shared state (shared by every site instance when SESSION_LAB_SHARED_URL
// names Redis or PostgreSQL), so /lab-api/status on any instance lists what happened on another.
import { fileURLToPath } from 'node:url';
import {
  type ProcessGroup,
  type Sandbox,
  startHostSandbox,
  startSandbox,
} from '../../../sandbox/cli/supervisor.ts';
import { parseConfig } from '../../../sandbox/engine/config.ts';
import { memorySharedState } from '../../../sandbox/shared/memory-shared-state.ts';
import type { SharedState } from '../../../sandbox/shared/shared-state.ts';
import { WriteBehind } from '../../../sandbox/shared/write-behind.ts';
import { type SweepResult, type SweptStore, sweepDemoStores } from './demo-sweeper.ts';
import type { HostMountOptions } from './host-mounts.ts';
import { type Variant, variantBase, variantConfig, variantKey } from './variant.ts';

export interface DemoEvent {
  at: number;
  text: string;
}

export interface ManagerOptions {
  /**
   * Most demo variants running in processes of their own at once; the least recently used one is
   * stopped to make room (with `protectMinutes`, only one nobody used that recently).
   */
  maxRunning: number;
  /** Serve every one-worker variant from one shared host process (public mode: no process controls). */
  hostVariants?: boolean;
  /**
   * Most variants the host keeps at once (each is an engine and a store in its memory); past it, one
   * unused for `protectMinutes` is stopped, or the new one gets a 503 with Retry-After. Default: no limit.
   */
  maxHosted?: number;
  /**
   * A variant used in the last this many minutes is never stopped to make room: a new one past
   * `maxRunning` is refused (DemoBusyError: 503 with Retry-After) instead. Unset: the least recently used goes.
   */
  protectMinutes?: number;
  /** A variant nobody used for this long is stopped (its buffered writes are flushed). */
  idleMinutes: number;
  /** Extra `[session]` keys for every demo (public mode caps). */
  extraConfig?: Record<string, string>;
  /** Minutes between sweeps of every demo store's expired records, demos running or not (default 5). */
  sweepMinutes?: number;
  /** Public mode: most records a shared store (file, SQL, Redis) keeps; past it the closest to expiry go. */
  maxSessionsPerStore?: number;
  /** Where the demos' event history is kept (default: this process's memory). */
  sharedState?: SharedState;
  /** The shared state's URL, for the demo workers' inspector exchanges (unset: each worker's memory). */
  sharedUrl?: string;
}

interface Running {
  sandbox: Promise<Sandbox>;
  lastUsed: number;
}

/** No room for another demo process without stopping one somebody is using: try again later. */
export class DemoBusyError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.name = 'DemoBusyError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const HOST_MOUNTS = fileURLToPath(new URL('./host-mounts.ts', import.meta.url));
/** The lesson apps' registry, imported by each demo's worker processes. */
const APPS_MODULE = fileURLToPath(new URL('../../../lessons/apps.ts', import.meta.url));

const EVENTS_KEPT = 20;
/** A demo's history is forgotten a day after its last event. */
const EVENTS_TTL_MS = 24 * 60 * 60_000;

export class DemoManager {
  readonly #options: ManagerOptions;
  readonly #running = new Map<string, Running>();
  /** The shared host process (hostVariants), started on the first hosted request. */
  #host: Promise<ProcessGroup> | undefined;
  /** The variants the host has served, for its crash reports and for status. */
  readonly #hosted = new Set<string>();
  readonly #idleTimer: NodeJS.Timeout;
  readonly #sweepTimer: NodeJS.Timeout;
  #sweeping: Promise<SweepResult[]> | undefined;
  /** The last reason each store could not be swept, so a server that stays down is logged once. */
  readonly #unavailable = new Map<SweptStore, string>();
  readonly #sharedState: SharedState;
  /** Events are recorded from the supervisor's log callback, which cannot wait; stopAll waits for them. */
  readonly #eventWrites = new WriteBehind({ label: 'demo events' });

  constructor(options: ManagerOptions) {
    this.#options = options;
    this.#sharedState = options.sharedState ?? memorySharedState();
    this.#idleTimer = setInterval(() => void this.#stopIdle(), 30_000);
    this.#idleTimer.unref();
    this.#sweepTimer = setInterval(() => void this.sweepStores(), (options.sweepMinutes ?? 5) * 60_000);
    this.#sweepTimer.unref();
  }

  /**
   * Deletes the expired records of every demo store (and, in public mode, trims each to its cap) now.
   * The timer calls it; a sweep still running is joined, not doubled. Problems are logged, never thrown.
   */
  sweepStores(): Promise<SweepResult[]> {
    this.#sweeping ??= sweepDemoStores({
      extraConfig: this.#options.extraConfig,
      maxSessionsPerStore: this.#options.maxSessionsPerStore,
    })
      .then((results) => {
        for (const { store, unavailable } of results) {
          if (unavailable && this.#unavailable.get(store) !== unavailable)
            console.error(`[session-lab] demo sweeper: ${store} not swept: ${unavailable}`);
          if (unavailable) this.#unavailable.set(store, unavailable);
          else this.#unavailable.delete(store);
        }
        return results;
      })
      .catch((error: unknown) => {
        console.error('[session-lab] demo sweeper failed:', error);
        return [];
      })
      .finally(() => {
        this.#sweeping = undefined;
      });
    return this.#sweeping;
  }

  /** Whether a variant is served by the shared host process rather than processes of its own. */
  hosted(variant: Variant): boolean {
    return this.#options.hostVariants === true && variant.workers === 1;
  }

  /**
   * The processes serving a variant (its own sandbox, or the shared host), started on first use.
   * Rejects with DemoBusyError when starting it would stop a demo somebody used recently.
   */
  sandbox(variant: Variant): Promise<ProcessGroup> {
    const key = variantKey(variant);
    if (this.hosted(variant)) {
      this.#hosted.add(key);
      return this.#startHost();
    }
    let running = this.#running.get(key);
    if (!running) {
      const busy = this.#noRoom();
      if (busy) return Promise.reject(busy);
      const record = (text: string) => void this.#record(key, text);
      const sandbox = this.#start(variant, record);
      running = { sandbox, lastUsed: Date.now() };
      this.#running.set(key, running);
      // A start that failed is forgotten, so the next request tries again.
      sandbox.catch(() => this.#running.get(key) === running && this.#running.delete(key));
      void this.#makeRoom(key);
    }
    running.lastUsed = Date.now();
    return running.sandbox;
  }

  /** The shared host process, started once; a start that failed is tried again on the next request. */
  #startHost(): Promise<ProcessGroup> {
    if (this.#host) return this.#host;
    const mounts: HostMountOptions = {
      ...(this.#options.extraConfig ? { extraConfig: this.#options.extraConfig } : {}),
      ...(this.#options.sharedUrl ? { sharedUrl: this.#options.sharedUrl } : {}),
    };
    // A crash or restart of the host concerns every demo it serves: each one's history says so.
    const log = (line: string) => {
      console.error(line.replace(/worker #1/g, 'the shared demo host'));
      for (const key of this.#hosted) void this.#record(key, `${line} (the process shared by the demos)`);
    };
    const host = startHostSandbox({
      resolver: HOST_MOUNTS,
      resolverOptions: mounts,
      workers: 1,
      guardProxy: true,
      log,
      ...(this.#options.maxHosted === undefined ? {} : { maxApps: this.#options.maxHosted }),
      ...(this.#options.protectMinutes === undefined ? {} : { keepMinutes: this.#options.protectMinutes }),
    });
    this.#host = host;
    host.then(
      (group) => log(`[session-lab] started the shared demo host: pid ${group.workers[0]?.pid}`),
      (error: Error) => {
        console.error('[session-lab] the shared demo host did not start:', error.message);
        if (this.#host === host) this.#host = undefined;
      },
    );
    return host;
  }

  /**
   * With `protectMinutes`, when a new variant would need a running one stopped and none has been idle
   * that long: the refusal, with when to try again. Without it (local mode), never: the LRU one goes.
   */
  #noRoom(): DemoBusyError | undefined {
    const { protectMinutes, maxRunning } = this.#options;
    if (protectMinutes === undefined || this.#running.size < maxRunning) return undefined;
    const protectMs = protectMinutes * 60_000;
    const now = Date.now();
    const inUse = [...this.#running.values()].filter((r) => now - r.lastUsed < protectMs);
    const idle = this.#running.size - inUse.length;
    if (idle >= this.#running.size + 1 - maxRunning) return undefined;
    const soonest = Math.min(...inUse.map((r) => r.lastUsed + protectMs));
    const seconds = Math.max(1, Math.ceil((soonest - now) / 1000));
    console.error(`[session-lab] refused to start another demo process: all ${maxRunning} are in use`);
    return new DemoBusyError(
      `All ${maxRunning} demo processes of this site are in use by visitors. Try again in ${seconds} s.`,
      seconds,
    );
  }

  async #start(variant: Variant, record: (text: string) => void): Promise<Sandbox> {
    const key = variantKey(variant);
    const config = parseConfig(variantConfig(variant, this.#options.extraConfig), `demo ${key}`);
    const sandbox = await startSandbox({
      appsModule: APPS_MODULE,
      appName: variant.app,
      config,
      workers: variant.workers,
      base: variantBase(variant),
      log: record,
      guardProxy: true,
      ...(this.#options.sharedUrl ? { sharedUrl: this.#options.sharedUrl } : {}),
    });
    record(
      `started ${variant.workers === 2 ? 'two workers' : 'a worker'}: pid ${sandbox.workers.map((w) => w.pid).join(', ')}`,
    );
    return sandbox;
  }

  /** Adds a line to a variant's history; resolves once written (callers that cannot wait need not). */
  #record(key: string, text: string): Promise<void> {
    const event: DemoEvent = { at: Date.now(), text: text.replace(/^\[session-lab\] /, '') };
    return this.#eventWrites.later(() =>
      this.#sharedState.append(`events:${key}`, { ...event }, EVENTS_KEPT, EVENTS_TTL_MS),
    );
  }

  /**
   * What the inspector shows about the processes behind a variant: this instance's workers (none when
   * it does not run the variant), and the variant's recent events wherever they happened.
   */
  async status(variant: Variant): Promise<{ workers: Sandbox['workers']; events: DemoEvent[] }> {
    const key = variantKey(variant);
    const group = this.hosted(variant)
      ? this.#hosted.has(key)
        ? this.#host
        : undefined
      : this.#running.get(key)?.sandbox;
    const [workers, events] = await Promise.all([
      group
        ? group.then(
            (sandbox) => sandbox.workers,
            () => [],
          )
        : [],
      this.#sharedState.list(`events:${key}`),
    ]);
    return { workers, events: events as unknown as DemoEvent[] };
  }

  /** Restart (clean: buffered writes flushed) or kill -9 (a crash) one worker of a variant. */
  async control(variant: Variant, action: 'restart' | 'kill', worker = 0): Promise<string> {
    if (this.hosted(variant))
      throw new Error('this demo shares its process with others: no process controls');
    const sandbox = await this.sandbox(variant);
    const key = variantKey(variant);
    const before = sandbox.workers[worker]?.pid;
    if (action === 'restart') {
      const after = await sandbox.restartWorker(worker);
      const text = `restarted worker #${worker + 1} cleanly: pid ${before} → ${after.pid}`;
      await this.#record(key, text);
      return text;
    }
    await sandbox.killWorker(worker, 'SIGKILL');
    const text = `sent kill -9 to worker #${worker + 1} (pid ${before})`;
    await this.#record(key, text);
    return text;
  }

  /** Stops one variant's processes (flushing buffered writes); the next request starts it again. */
  stop(variant: Variant): Promise<void> {
    return this.#stop(variantKey(variant), 'asked to');
  }

  async stopAll(): Promise<void> {
    clearInterval(this.#idleTimer);
    clearInterval(this.#sweepTimer);
    await this.#sweeping;
    const all: Promise<ProcessGroup>[] = [...this.#running.values()].map((r) => r.sandbox);
    if (this.#host) all.push(this.#host);
    this.#running.clear();
    this.#host = undefined;
    await Promise.allSettled(all.map(async (group) => (await group).stop()));
    await this.#eventWrites.flush();
  }

  /** Stops a variant's own processes and says so, on the console and in the demo's history. */
  async #stop(key: string, why: string): Promise<void> {
    const running = this.#running.get(key);
    if (!running) return;
    this.#running.delete(key);
    const idle = Math.round((Date.now() - running.lastUsed) / 1000);
    const text = `stopped (${why}; last used ${idle} s ago): its RAM sessions are gone, buffered writes flushed`;
    console.error(`[session-lab] demo ${key} ${text}`);
    await this.#record(key, text);
    await (await running.sandbox).stop().catch(() => {});
  }

  async #makeRoom(keep: string): Promise<void> {
    const others = [...this.#running.entries()].filter(([key]) => key !== keep);
    others.sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    // With protectMinutes, #noRoom refused the start unless enough of these are idle that long.
    const protectMs = (this.#options.protectMinutes ?? 0) * 60_000;
    while (others.length + 1 > this.#options.maxRunning) {
      const [key, running] = others.shift() ?? [];
      if (!key || !running || Date.now() - running.lastUsed < protectMs) return;
      await this.#stop(key, `to make room for ${keep}, ${this.#options.maxRunning} at most`);
    }
  }

  async #stopIdle(): Promise<void> {
    const limit = Date.now() - this.#options.idleMinutes * 60_000;
    for (const [key, running] of this.#running)
      if (running.lastUsed < limit) await this.#stop(key, `unused for ${this.#options.idleMinutes} min`);
  }
}
