// Starts and supervises the demo processes: one sandbox (1 or 2 real worker processes behind the
// sandbox's own round-robin proxy) per demo variant, started on first use and stopped when idle.
// Crashes are recorded so the inspector can say what happened; the supervisor restarts the worker.
// That history lives in the site's bookkeeping (shared by every site instance when SESSION_LAB_SHARED_URL
// names Redis or PostgreSQL), so /lab-api/status on any instance lists what happened on another.
import { type Sandbox, startSandbox } from '../../../sandbox/cli/supervisor.ts';
import { parseConfig } from '../../../sandbox/engine/config.ts';
import type { Bookkeeping } from '../../../sandbox/shared/bookkeeping.ts';
import { memoryBookkeeping } from '../../../sandbox/shared/memory-bookkeeping.ts';
import { WriteBehind } from '../../../sandbox/shared/write-behind.ts';
import { type SweepResult, type SweptStore, sweepDemoStores } from './demo-sweeper.ts';
import { type Variant, variantBase, variantConfig, variantKey } from './variant.ts';

export interface DemoEvent {
  at: number;
  text: string;
}

export interface ManagerOptions {
  /** Most demo variants running at once; the least recently used one is stopped to make room. */
  maxRunning: number;
  /** A variant nobody used for this long is stopped (its buffered writes are flushed). */
  idleMinutes: number;
  /** Extra `[session]` keys for every demo (public mode caps). */
  extraConfig?: Record<string, string>;
  /** Minutes between sweeps of every demo store's expired records, demos running or not (default 5). */
  sweepMinutes?: number;
  /** Public mode: most records a shared store (file, SQL, Redis) keeps; past it the closest to expiry go. */
  maxSessionsPerStore?: number;
  /** Where the demos' event history is kept (default: this process's memory). */
  bookkeeping?: Bookkeeping;
  /** The shared bookkeeping's URL, for the demo workers' inspector exchanges (unset: each worker's memory). */
  sharedUrl?: string;
}

interface Running {
  sandbox: Promise<Sandbox>;
  lastUsed: number;
}

const EVENTS_KEPT = 20;
/** A demo's history is forgotten a day after its last event. */
const EVENTS_TTL_MS = 24 * 60 * 60_000;

export class DemoManager {
  readonly #options: ManagerOptions;
  readonly #running = new Map<string, Running>();
  readonly #idleTimer: NodeJS.Timeout;
  readonly #sweepTimer: NodeJS.Timeout;
  #sweeping: Promise<SweepResult[]> | undefined;
  /** The last reason each store could not be swept, so a server that stays down is logged once. */
  readonly #unavailable = new Map<SweptStore, string>();
  readonly #bookkeeping: Bookkeeping;
  /** Events are recorded from the supervisor's log callback, which cannot wait; stopAll waits for them. */
  readonly #eventWrites = new WriteBehind({ label: 'demo events' });

  constructor(options: ManagerOptions) {
    this.#options = options;
    this.#bookkeeping = options.bookkeeping ?? memoryBookkeeping();
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

  /** The running sandbox for a variant, started on first use. */
  sandbox(variant: Variant): Promise<Sandbox> {
    const key = variantKey(variant);
    let running = this.#running.get(key);
    if (!running) {
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

  async #start(variant: Variant, record: (text: string) => void): Promise<Sandbox> {
    const key = variantKey(variant);
    const config = parseConfig(variantConfig(variant, this.#options.extraConfig), `demo ${key}`);
    const sandbox = await startSandbox({
      appName: variant.app,
      config,
      workers: variant.workers,
      base: variantBase(variant),
      log: record,
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
      this.#bookkeeping.append(`events:${key}`, { ...event }, EVENTS_KEPT, EVENTS_TTL_MS),
    );
  }

  /**
   * What the inspector shows about the processes behind a variant: this instance's workers (none when
   * it does not run the variant), and the variant's recent events wherever they happened.
   */
  async status(variant: Variant): Promise<{ workers: Sandbox['workers']; events: DemoEvent[] }> {
    const key = variantKey(variant);
    const running = this.#running.get(key);
    const [workers, events] = await Promise.all([
      running ? running.sandbox.then((sandbox) => sandbox.workers) : [],
      this.#bookkeeping.list(`events:${key}`),
    ]);
    return { workers, events: events as unknown as DemoEvent[] };
  }

  /** Restart (clean: buffered writes flushed) or kill -9 (a crash) one worker of a variant. */
  async control(variant: Variant, action: 'restart' | 'kill', worker = 0): Promise<string> {
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
    return this.#stop(variantKey(variant));
  }

  async stopAll(): Promise<void> {
    clearInterval(this.#idleTimer);
    clearInterval(this.#sweepTimer);
    await this.#sweeping;
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.allSettled(all.map(async (r) => (await r.sandbox).stop()));
    await this.#eventWrites.flush();
  }

  async #stop(key: string): Promise<void> {
    const running = this.#running.get(key);
    if (!running) return;
    this.#running.delete(key);
    await (await running.sandbox).stop().catch(() => {});
  }

  async #makeRoom(keep: string): Promise<void> {
    const others = [...this.#running.entries()].filter(([key]) => key !== keep);
    others.sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    while (others.length + 1 > this.#options.maxRunning) {
      const [key] = others.shift() ?? [];
      if (key) await this.#stop(key);
    }
  }

  async #stopIdle(): Promise<void> {
    const limit = Date.now() - this.#options.idleMinutes * 60_000;
    for (const [key, running] of this.#running) if (running.lastUsed < limit) await this.#stop(key);
  }
}
