// Starts and supervises the demo processes: one sandbox (1 or 2 real worker processes behind the
// sandbox's own round-robin proxy) per demo variant, started on first use and stopped when idle.
// Crashes are recorded so the inspector can say what happened; the supervisor restarts the worker.
import { type Sandbox, startSandbox } from '../../../sandbox/cli/supervisor.ts';
import { parseConfig } from '../../../sandbox/engine/config.ts';
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
}

interface Running {
  sandbox: Promise<Sandbox>;
  lastUsed: number;
  events: DemoEvent[];
}

const EVENTS_KEPT = 20;

export class DemoManager {
  readonly #options: ManagerOptions;
  readonly #running = new Map<string, Running>();
  readonly #idleTimer: NodeJS.Timeout;
  readonly #sweepTimer: NodeJS.Timeout;
  #sweeping: Promise<SweepResult[]> | undefined;
  /** The last reason each store could not be swept, so a server that stays down is logged once. */
  readonly #unavailable = new Map<SweptStore, string>();

  constructor(options: ManagerOptions) {
    this.#options = options;
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
      const events: DemoEvent[] = [];
      const record = (text: string) => {
        events.push({ at: Date.now(), text: text.replace(/^\[session-lab\] /, '') });
        if (events.length > EVENTS_KEPT) events.shift();
      };
      const sandbox = this.#start(variant, record);
      running = { sandbox, lastUsed: Date.now(), events };
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
    });
    record(
      `started ${variant.workers === 2 ? 'two workers' : 'a worker'}: pid ${sandbox.workers.map((w) => w.pid).join(', ')}`,
    );
    return sandbox;
  }

  /** What the inspector shows about the processes behind a variant. */
  async status(variant: Variant): Promise<{ workers: Sandbox['workers']; events: DemoEvent[] }> {
    const running = this.#running.get(variantKey(variant));
    if (!running) return { workers: [], events: [] };
    const sandbox = await running.sandbox;
    return { workers: sandbox.workers, events: [...running.events] };
  }

  /** Restart (clean: buffered writes flushed) or kill -9 (a crash) one worker of a variant. */
  async control(variant: Variant, action: 'restart' | 'kill', worker = 0): Promise<string> {
    const sandbox = await this.sandbox(variant);
    const running = this.#running.get(variantKey(variant));
    const before = sandbox.workers[worker]?.pid;
    if (action === 'restart') {
      const after = await sandbox.restartWorker(worker);
      const text = `restarted worker #${worker + 1} cleanly: pid ${before} → ${after.pid}`;
      running?.events.push({ at: Date.now(), text });
      return text;
    }
    await sandbox.killWorker(worker, 'SIGKILL');
    const text = `sent kill -9 to worker #${worker + 1} (pid ${before})`;
    running?.events.push({ at: Date.now(), text });
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
