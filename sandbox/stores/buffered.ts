// The seed's mixed strategies: RAM in front, a durable store behind.
// - interval: dirty sessions are written behind every N seconds; a crash loses the last interval.
// - on-shutdown: written only when the process stops cleanly; `kill -9` loses everything since start.
import type { RequestCookies, SessionRecord, Store } from '../engine/types.ts';

export interface BufferedStore extends Store {
  /** Writes every dirty session to the store behind; returns how many were written. */
  flush(): Promise<number>;
}

interface Entry {
  record: SessionRecord | null; // null: destroyed here, not yet deleted behind
  dirty: boolean;
}

/** A cookie jar for writes that happen outside any request (the backing stores here ignore it). */
const NO_COOKIES: RequestCookies = { secure: false, get: () => undefined, set: () => {}, delete: () => {} };

export function bufferedStore(
  behind: Store,
  policy: 'interval' | 'on-shutdown',
  flushIntervalSeconds: number,
): BufferedStore {
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | undefined;
  /** When the timer's next flush is due (ms): the inspector looks again just after it. */
  let nextFlushAt = Date.now() + flushIntervalSeconds * 1000;

  // #region flush
  const flush = async (): Promise<number> => {
    let written = 0;
    for (const [key, entry] of entries) {
      if (!entry.dirty) continue;
      entry.dirty = false;
      try {
        if (entry.record) await behind.save(key, entry.record, NO_COOKIES);
        else if (behind.destroy) await behind.destroy(key, NO_COOKIES);
        else await behind.save(key, { data: {}, createdAt: 0, expiresAt: 0 }, NO_COOKIES);
        if (!entry.record) entries.delete(key);
        written++;
      } catch (error) {
        entry.dirty = true; // try again at the next flush
        throw error;
      }
    }
    return written;
  };

  if (policy === 'interval') {
    timer = setInterval(() => {
      nextFlushAt = Date.now() + flushIntervalSeconds * 1000;
      flush().catch((e) => console.error(`[session-lab] [${behind.name}] flush failed:`, e));
    }, flushIntervalSeconds * 1000);
    timer.unref();
  }
  // #endregion flush

  return {
    name: behind.name,
    flush,
    // #region read-write
    async load(key, cookies) {
      const entry = entries.get(key);
      if (entry) return entry.record;
      const record = await behind.load(key, cookies);
      if (record) entries.set(key, { record, dirty: false });
      return record;
    },
    async save(key, record) {
      entries.set(key, { record, dirty: true });
    },
    async destroy(key) {
      entries.set(key, { record: null, dirty: true });
    },
    // #endregion read-write
    async sweep(now) {
      let removed = 0;
      for (const [key, entry] of entries) {
        if (entry.record && entry.record.expiresAt <= now) {
          entries.set(key, { record: null, dirty: true });
          removed++;
        }
      }
      return removed + ((await behind.sweep?.(now)) ?? 0);
    },
    async inspect(key, cookies) {
      const entry = entries.get(key);
      const stored = (await behind.inspect?.(key, cookies)) ?? null;
      const waiting = entry?.dirty
        ? policy === 'interval'
          ? `written within ${flushIntervalSeconds} s`
          : 'written at shutdown'
        : 'written';
      const inMemory = entry?.record ? JSON.stringify(entry.record) : null;
      if (!stored && !inMemory) return null;
      return {
        store: behind.name,
        location: stored?.location ?? `not yet in ${behind.name}: only in RAM of process ${process.pid}`,
        raw: stored?.raw ?? '',
        bytes: stored?.bytes ?? 0,
        ...(stored?.ttlSeconds === undefined ? {} : { ttlSeconds: stored.ttlSeconds }),
        details: {
          ...(stored?.details ?? {}),
          writePolicy: policy,
          inMemory,
          changesInRam: waiting,
          ...(policy === 'interval' && entry?.dirty ? { nextFlushAt } : {}),
        },
      };
    },
    // #region close
    async close() {
      clearInterval(timer);
      await flush();
      await behind.close?.();
    },
    // #endregion close
  };
}
