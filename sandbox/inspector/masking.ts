// What the inspector masks. Page scripts can read `/_inspect`, so echoing a whole session id would undo
// HttpOnly (OWASP "HttpOnly Attribute"; the TRACE "cross-site tracing" hole); the store key, a hash,
// tells sessions apart instead.
import { APP_CREDENTIAL_PREFIX, SECURE_PREFIX } from '../engine/cookies.ts';
import { maskId } from '../engine/ids.ts';
import { maskPairs } from './mask-pairs.ts';

export interface Masking {
  /** Whether a cookie of this name (on the wire) carries the session or another credential. */
  isSessionCookie(name: string): boolean;
  /** Text with the values of session cookies, and the id in a URL, masked. */
  text(text: string): string;
}

/** A cookie value as the inspector shows it: its ends only. */
export const maskValue = (value: string): string => (value === '' ? '' : maskId(value));

/**
 * The masking for a session cookie named `cookieName`: the id, the cookie store's data (`<name>_data`),
 * under either name (with `__Secure-` on https), and another credential an app sets (`lab_…`, such as
 * the login demo's remember-me token).
 */
export function sessionMasking(cookieName: string): Masking {
  const dataName = `${cookieName}_data`;
  const isSessionCookie = (wireName: string): boolean => {
    const name = wireName.startsWith(SECURE_PREFIX) ? wireName.slice(SECURE_PREFIX.length) : wireName;
    return name === cookieName || name.startsWith(APP_CREDENTIAL_PREFIX) || name === dataName;
  };
  return { isSessionCookie, text: (text) => maskPairs(text, isSessionCookie, maskValue) };
}
