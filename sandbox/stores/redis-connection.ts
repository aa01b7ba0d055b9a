// One lazily opened node-redis connection that fails fast: no offline queue, 2 s to connect, and an
// 'error' listener (an EventEmitter 'error' without one would crash the process). The client keeps
// reconnecting in the background, so callers are served again as soon as Redis is back, without a
// restart (tj/connect-redis#373, #159). The Redis store and the site's shared state both use it.
import type { RedisClientType } from 'redis';

export type RedisClient = RedisClientType;

const CONNECT_TIMEOUT_MS = 2_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

export interface RedisConnection {
  /** The client when it can take a command now; otherwise the reason it cannot, thrown. */
  ready(): Promise<RedisClient>;
  /** Waits for commands in flight (when connected), then closes; the next `ready()` opens again. */
  close(): Promise<void>;
}

export function redisConnection(url: string): RedisConnection {
  let client: Promise<RedisClient> | undefined;
  /** The last connection error since the client was last ready: while set, calls fail at once. */
  let lastError: unknown;
  let connecting: Promise<void> | undefined;

  // Loaded on first use, so only a process that uses Redis imports the driver.
  const connect = () =>
    (client ??= import('redis').then(({ createClient }) => {
      const created: RedisClient = createClient({
        url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: CONNECT_TIMEOUT_MS,
          reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
        },
      });
      created.on('error', (error: unknown) => {
        lastError = error;
      });
      created.on('ready', () => {
        lastError = undefined;
      });
      // Settles only when it connects or close() stops it; failures arrive as 'error' events meanwhile.
      created.connect().catch(() => {});
      return created;
    }));

  return {
    async ready() {
      const c = await connect();
      if (c.isReady) return c;
      if (lastError !== undefined) throw lastError; // down or reconnecting: fail now, do not wait
      // The first connection is still being made: wait for it, no longer than a connect may take. One
      // wait shared by every caller, so 50 requests at start-up add 2 listeners, not 100.
      connecting ??= new Promise<void>((resolve, reject) => {
        const settle = (error?: unknown) => {
          clearTimeout(timer);
          c.off('ready', settle).off('error', settle);
          connecting = undefined;
          if (error) reject(error);
          else resolve();
        };
        const timer = setTimeout(
          () => settle(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)),
          CONNECT_TIMEOUT_MS,
        );
        c.once('ready', settle).once('error', settle);
      });
      await connecting;
      return c;
    },
    async close() {
      const c = await client?.catch(() => undefined);
      client = undefined;
      if (!c) return;
      // close() waits for commands in flight, but only a connected client can finish them.
      if (c.isReady) await c.close().catch(() => c.destroy());
      else c.destroy();
    },
  };
}
