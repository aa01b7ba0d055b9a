// Requests per visitor per minute, for a public deployment. A fixed one-minute window per visitor is
// crude but predictable, and easy to state on the page ("120 requests a minute"). The counters live in
// the site's shared state: this process's memory, or Redis/PostgreSQL shared by every site instance
// (SESSION_LAB_SHARED_URL), so a visitor whose requests alternate between instances has one allowance.
import { createHash } from 'node:crypto';
import type { SharedState } from '../../../sandbox/shared/shared-state.ts';

export interface RateLimit {
  /** Counts one request; resolves to 0 when allowed, else the seconds to wait (for Retry-After). */
  take(visitor: string): Promise<number>;
}

const WINDOW_MS = 60_000;

export function fixedWindowLimit(perMinute: number, counters: SharedState): RateLimit {
  return {
    async take(visitor) {
      // Hashed: the shared store holds no visitor addresses, and any address makes a valid key.
      const key = `rate:${createHash('sha256').update(visitor).digest('base64url').slice(0, 22)}`;
      const { count, resetInMs } = await counters.increment(key, WINDOW_MS);
      return count <= perMinute ? 0 : Math.max(1, Math.ceil(resetInMs / 1000));
    },
  };
}
