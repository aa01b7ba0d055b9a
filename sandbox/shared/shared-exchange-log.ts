// The inspector's last exchanges in the shared state, so that `/_inspect` on any site instance
// (or any demo worker) shows the exchange another one served. Write-behind: `record` stays synchronous
// and only starts the write (the request never waits on Redis or PostgreSQL); `get` reads the shared
// copy. A copy is also kept in this process, and `get` falls back to it while the server is down.
//
// Two keys per session, so no write has to read first: `exchange:<key>` (the latest exchange) and
// `cookies-as-set:<key>` (the last Set-Cookie lines, written only when there are some). `get` puts
// them back together into the `cookiesAsSet` the memory log works out. The last write wins: two
// requests of one session are ordered by the visitor's own round trip, far longer than a write takes.

import type { JsonValue } from '../engine/types.ts';
import {
  type Exchange,
  type ExchangeLog,
  type ExchangeRecord,
  memoryExchangeLog,
} from '../inspector/exchange-log.ts';
import type { SharedState } from './shared-state.ts';
import { WriteBehind } from './write-behind.ts';

/** Long enough for any demo session's idle timeout; the inspector has nothing to show after it. */
const EXCHANGE_TTL_MS = 24 * 60 * 60_000;
/** Sessions whose last exchange this process keeps for itself (the engine's own default). */
const LOCAL_KEPT = 2_000;

export interface SharedExchangeLog extends ExchangeLog {
  /** Waits for the writes started so far (at shutdown). */
  flush(): Promise<void>;
}

export function sharedExchangeLog(sharedState: SharedState, log?: (line: string) => void): SharedExchangeLog {
  const local = memoryExchangeLog(LOCAL_KEPT);
  const writes = new WriteBehind({ label: `inspector exchanges (${sharedState.location})`, log });
  return {
    record(key, exchange) {
      local.record(key, exchange);
      writes.later(() =>
        Promise.all([
          sharedState.set(`exchange:${key}`, exchange as unknown as JsonValue, EXCHANGE_TTL_MS),
          exchange.setCookie.length > 0
            ? sharedState.set(`cookies-as-set:${key}`, exchange.setCookie, EXCHANGE_TTL_MS)
            : undefined,
        ]),
      );
    },
    async get(key) {
      let found: [JsonValue | null, JsonValue | null];
      try {
        found = await Promise.all([
          sharedState.get(`exchange:${key}`),
          sharedState.get(`cookies-as-set:${key}`),
        ]);
      } catch {
        return local.get(key); // the outage is logged by the writes
      }
      const exchange = found[0] as unknown as ExchangeRecord | null;
      // This process's own copy is newer while its write is still on the way (an inspector woken by
      // the exchange asks at once: inspector/waits.ts).
      const mine = await local.get(key);
      if (mine && mine.at > (exchange?.at ?? 0)) return mine;
      if (!exchange) return null;
      const cookiesAsSet =
        exchange.setCookie.length > 0 ? exchange.setCookie : ((found[1] as string[] | null) ?? []);
      return { ...exchange, cookiesAsSet } satisfies Exchange;
    },
    flush: () => writes.flush(),
  };
}
