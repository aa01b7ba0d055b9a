// Requests per visitor per minute, for a public deployment. A fixed one-minute window per visitor is
// crude but predictable, and easy to state on the page ("120 requests a minute").

export interface RateLimit {
  /** Counts one request; returns 0 when allowed, else the seconds to wait (for Retry-After). */
  take(visitor: string, now?: number): number;
}

/** Visitors remembered at once; beyond that the oldest windows are dropped (they were over anyway). */
const MAX_VISITORS = 50_000;

export function fixedWindowLimit(perMinute: number): RateLimit {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(visitor, now = Date.now()) {
      let window = windows.get(visitor);
      if (!window || now - window.start >= 60_000) {
        windows.delete(visitor);
        window = { start: now, count: 0 };
        windows.set(visitor, window);
        if (windows.size > MAX_VISITORS) windows.delete(windows.keys().next().value as string);
      }
      window.count++;
      return window.count <= perMinute ? 0 : Math.ceil((window.start + 60_000 - now) / 1000);
    },
  };
}
