// The answer to `GET <base>_inspect`, one declared shape: the inspector builds it (inspector.ts) and the
// site's inspector reads it (site/lib/demo/api.ts). Pure types.
import type { LockingMode, TransportKind, WritePolicy } from '../engine/config.ts';
import type { CookieValues } from '../engine/cookies.ts';
import type { SessionData, StoredView } from '../engine/types.ts';
import type { Exchange } from './exchange-log.ts';

/** The cookies the inspection request carried: the header as it came, and the values it counts (masked). */
export interface CookiesShown {
  header: string | null;
  received: CookieValues;
}

export interface InspectAnswer {
  store: string;
  transport: TransportKind;
  writePolicy: WritePolicy;
  locking: LockingMode;
  timeoutMinutes: number;
  now: number;
  cookies: CookiesShown;
  /** The session's last exchange (or, without a session, that of the refused id the request carried). */
  lastExchange?: Exchange | null;
  /** The store key (a hash) of the session shown: it tells sessions apart without showing an id. */
  storeKey?: string;
  /** The session id, masked. */
  id?: string | null;
  live?: boolean;
  data?: SessionData | null;
  createdAt?: number | null;
  expiresAt?: number | null;
  stored?: StoredView | null;
  /** Set when the exchange shown set cookies this answer could not take into account (`?after=`). */
  behind?: boolean;
  /** Why the session could not be read, and what to do about it. */
  error?: string;
  hint?: string;
}
