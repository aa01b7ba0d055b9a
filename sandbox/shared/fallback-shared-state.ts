// The site's shared state with this process's memory behind it, for while Redis or PostgreSQL is
// down: the demos and the rate limit keep working on what this instance knows (as if it ran alone),
// one log line marks the outage and one its end, and nothing a visitor does fails because of it.
// Writes go to both, so the local copy is current when it is needed; reads and counts ask the shared
// store first.

import { memorySharedState } from './memory-shared-state.ts';
import type { SharedState } from './shared-state.ts';

export function withLocalFallback(
  shared: SharedState,
  log: (line: string) => void = (line) => console.error(line),
): SharedState {
  const local = memorySharedState();
  let down = false;
  const attempt = async <T>(work: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) throw error; // a caller's mistake
      if (!down) log(`${(error as Error).message}; using this instance's memory until it answers again`);
      down = true;
      return fallback();
    }
    if (down) log(`[session-lab] shared state at ${shared.location} answers again`);
    down = false;
    return result;
  };
  return {
    location: shared.location,
    get: (key) =>
      attempt(
        () => shared.get(key),
        () => local.get(key),
      ),
    async set(key, value, ttlMs) {
      await local.set(key, value, ttlMs);
      await attempt(
        () => shared.set(key, value, ttlMs),
        async () => {},
      );
    },
    increment: (key, windowMs) =>
      attempt(
        () => shared.increment(key, windowMs),
        () => local.increment(key, windowMs),
      ),
    async append(key, value, keep, ttlMs) {
      await local.append(key, value, keep, ttlMs);
      await attempt(
        () => shared.append(key, value, keep, ttlMs),
        async () => {},
      );
    },
    list: (key) =>
      attempt(
        () => shared.list(key),
        () => local.list(key),
      ),
    close: () => shared.close(),
  };
}
