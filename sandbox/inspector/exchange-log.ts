// The inspector's memory of each session's last exchange (what crossed the wire). Kept in this process
// by default; behind several processes or site instances it must be shared, or the inspector on one
// would not know what another served (sandbox/shared/shared-exchange-log.ts).

import type { Rejection } from '../engine/engine.ts';

/** The last exchange of one session, so the inspector can show what crossed the wire. */
export interface Exchange {
  at: number;
  method: string;
  path: string;
  status: number;
  cookieHeader: string | null;
  setCookie: string[];
  /** The Set-Cookie lines that last changed this session's cookies (the attributes DevTools would show). */
  cookiesAsSet: string[];
  rejected: Rejection;
}

/** What a request leaves behind; the log works out `cookiesAsSet` from the exchanges before it. */
export type ExchangeRecord = Omit<Exchange, 'cookiesAsSet'>;

export interface ExchangeLog {
  /** Remembers a session's latest exchange. Never awaited by a request: shared state must not slow it. */
  record(key: string, exchange: ExchangeRecord): void;
  /** The session's latest exchange, or null. */
  get(key: string): Promise<Exchange | null>;
}

/** In this process only: the last `limit` sessions, least recently served forgotten first. */
export function memoryExchangeLog(limit: number): ExchangeLog {
  const exchanges = new Map<string, Exchange>();
  return {
    record(key, exchange) {
      const previous = exchanges.get(key);
      exchanges.delete(key);
      const cookiesAsSet =
        exchange.setCookie.length > 0 ? exchange.setCookie : (previous?.cookiesAsSet ?? []);
      exchanges.set(key, { ...exchange, cookiesAsSet });
      if (exchanges.size > limit) exchanges.delete(exchanges.keys().next().value as string);
    },
    async get(key) {
      return exchanges.get(key) ?? null;
    },
  };
}
