// "Remember me": a long-lived token beside the session, in the shape of Jaspan's improved persistent
// login cookie, with a selector and a validator split as in Paragon's "split tokens":
// - the cookie holds `<selector>.<validator>`; the server keeps the selector and only a SHA-256 of the
//   validator, so a leaked store holds no usable token;
// - every use signs in and rotates the validator (the selector stays), so each value works once;
// - a known selector with a wrong validator means someone used an old value: the token was copied
//   and one copy has already been used. The app then ends every session and token of the account.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Account, RememberToken } from './login-accounts.ts';

// #region token
const SELECTOR = /^[A-Za-z0-9_-]{16}$/;
const VALIDATOR = /^[A-Za-z0-9_-]{43}$/;

export interface PresentedToken {
  selector: string;
  validator: string;
}

export function parseToken(value: string | undefined): PresentedToken | null {
  const [selector = '', validator = '', extra] = (value ?? '').split('.');
  if (extra !== undefined || !SELECTOR.test(selector) || !VALIDATOR.test(validator)) return null;
  return { selector, validator };
}

/** A new token for `account`, filed in it; returns the cookie value (the only copy of the validator). */
export function issueToken(account: Account, now: number, lifetimeMs: number, max: number): string {
  const selector = randomBytes(12).toString('base64url');
  const validator = randomBytes(32).toString('base64url');
  account.tokens.push({
    selector,
    validatorHash: digest(validator),
    createdAt: now,
    expiresAt: now + lifetimeMs,
  });
  account.tokens.splice(0, Math.max(0, account.tokens.length - max));
  return `${selector}.${validator}`;
}

/** A new validator for the same selector; the old value stops working. Returns the new cookie value. */
export function rotateToken(token: RememberToken): string {
  const validator = randomBytes(32).toString('base64url');
  token.validatorHash = digest(validator);
  return `${token.selector}.${validator}`;
}

export function validatorMatches(token: RememberToken, validator: string): boolean {
  return timingSafeEqual(Buffer.from(token.validatorHash), Buffer.from(digest(validator)));
}
// #endregion token

function digest(validator: string): string {
  return hash('sha256', validator, 'base64url');
}
