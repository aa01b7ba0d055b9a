// The last request/response of a session as the three steps the inspector draws:
// browser → server (what the request carried), server ↔ store (what the store did), server → browser
// (what the response set). Pure, so each case is tested.
import type { TransportKind } from '../../../sandbox/engine/config.ts';
import type { Exchange } from '../../../sandbox/inspector/exchange-log.ts';
import { parseSetCookie } from './cookie-columns.ts';

export type StoreOutcome = 'loaded' | 'new' | 'malformed' | 'unknown' | 'expired' | 'adopted';

export interface ExchangeSteps {
  request: { line: string; carried: string };
  /** `lookedUp`: whether the server asked the store at all (a malformed or missing id never gets that far). */
  store: { outcome: StoreOutcome; label: string; text: string; lookedUp: boolean };
  response: { line: string; carried: string };
}

interface Context {
  idName: string;
  transport: TransportKind;
  /** When the session now held was created (ms), to tell a new session from a loaded one on a form POST. */
  createdAt: number | null;
  /** True when the inspector already saw this session before this exchange, so it cannot be new. */
  seenBefore?: boolean;
  /** The store's name: the cookie store keeps nothing on the server, so its steps read differently. */
  store?: string;
}

// "The app got a fresh, empty session" rather than "a new session began": a page that then stores
// nothing leaves no session at all, only the Set-Cookie that deletes the refused cookie.
const STORE_TEXT: Record<StoreOutcome, [label: string, text: string]> = {
  loaded: ['loaded', 'found the record filed under SHA-256(id) and handed its data to the app'],
  new: ['new session', 'no id came in, so the app started with an empty session'],
  malformed: [
    'rejected: malformed',
    'the id is not 43 base64url characters, so it was refused before any store lookup; the app got a fresh, empty session',
  ],
  unknown: [
    'rejected: unknown',
    'no record is filed under SHA-256(id): the id was never issued, was changed, or the record was deleted; the app got a fresh, empty session',
  ],
  expired: [
    'rejected: expired',
    'the record was past its expiry, so it was deleted; the app got a fresh, empty session',
  ],
  adopted: [
    'adopted (unsafe on purpose)',
    'no live record is filed under SHA-256(id), yet the server kept the id the client chose: the app got a fresh, empty session under it',
  ],
};

/** The cookie store: the record came in the request's data cookie, sealed for SHA-256(id). */
const COOKIE_STORE_TEXT: Partial<Record<StoreOutcome, string>> = {
  loaded:
    'opened the data cookie the request carried (signature checked, decrypted), found it sealed for SHA-256(id), and handed its data to the app',
  unknown:
    'the data cookie did not open for SHA-256(id): it was changed (the signature failed), belongs to another id, or was not sent; the app got a fresh, empty session',
  expired:
    'the record sealed in the data cookie was past its expiry, so the browser was told to delete the cookie; the app got a fresh, empty session',
};

/** Whether the request carried an id, as far as the exchange shows; null when it cannot tell. */
function carriedId(exchange: Exchange, { idName, transport }: Context): boolean | null {
  const pattern = new RegExp(`(?:^|[;?&\\s])${idName.replace(/[^\w-]/g, '\\$&')}=[^;&\\s]`);
  if (transport === 'cookie') return pattern.test(exchange.cookieHeader ?? '');
  if (transport === 'url') return pattern.test(exchange.path);
  // Hidden field: the engine reads the id from a POST body only (an id in a GET's address is ignored),
  // and the exchange does not keep the body.
  return exchange.method === 'POST' ? null : false;
}

export function storeOutcome(exchange: Exchange, context: Context): StoreOutcome {
  if (exchange.rejected !== 'none') return exchange.rejected;
  const carried = carriedId(exchange, context);
  if (carried !== null) return carried ? 'loaded' : 'new';
  if (context.seenBefore) return 'loaded';
  // A session made by this very request was created moments before the exchange was recorded.
  return context.createdAt !== null && exchange.at - context.createdAt < 2_000 ? 'new' : 'loaded';
}

export function exchangeSteps(exchange: Exchange, context: Context): ExchangeSteps {
  const outcome = storeOutcome(exchange, context);
  const [label, generic] = STORE_TEXT[outcome];
  const text = (context.store === 'cookie' ? COOKIE_STORE_TEXT[outcome] : undefined) ?? generic;
  const lookedUp =
    outcome === 'loaded' || outcome === 'unknown' || outcome === 'expired' || outcome === 'adopted';
  return {
    request: { line: `${exchange.method} ${exchange.path}`, carried: requestCarried(exchange, context) },
    store: { outcome, label, text, lookedUp },
    response: { line: `HTTP ${exchange.status}`, carried: responseCarried(exchange, context) },
  };
}

function requestCarried(exchange: Exchange, context: Context): string {
  if (context.transport === 'cookie') {
    return exchange.cookieHeader ? `Cookie: ${exchange.cookieHeader}` : 'no Cookie header';
  }
  const carried = carriedId(exchange, context);
  const where = context.transport === 'url' ? 'in the URL' : 'in a hidden form field';
  if (carried === null) return `the id, if any, ${where}`;
  return carried ? `the id ${where}` : `no id ${where}`;
}

function responseCarried(exchange: Exchange, context: Context): string {
  if (exchange.setCookie.length > 0) {
    return exchange.setCookie
      .map((line) => {
        const cookie = parseSetCookie(line);
        const gone = cookie?.maxAge !== undefined && cookie.maxAge <= 0;
        return gone ? `Set-Cookie: ${cookie?.name}= (deletes it)` : `Set-Cookie: ${line}`;
      })
      .join('\n');
  }
  if (context.transport === 'url') return 'the id written into every link and form of the page';
  if (context.transport === 'hidden-field') return 'the id in a hidden field of every form on the page';
  return 'no Set-Cookie: the browser keeps the cookie it has';
}
