// Session ids: made here, checked here, hashed here. Imports nothing from the engine.
import { hash, randomBytes } from 'node:crypto';

// #region generate
/** 32 random bytes = 256 bits (OWASP asks for at least 64; express-session uses 192). */
const ID_BYTES = 32;
/** base64url of 32 bytes, without padding, is always 43 characters. */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}
// #endregion generate

// #region check
/**
 * A strict format check, done before anything touches a store: `../`, NUL, unicode and 10 KB ids
 * all fail here (cherrypy#744, CVE-2008-0252).
 */
export function isWellFormedId(candidate: string): boolean {
  return ID_PATTERN.test(candidate);
}
// #endregion check

// #region hash
/** The key a store files a session under: SHA-256 of the id, so a leaked store holds no usable token. */
export function hashId(id: string): string {
  // crypto.hash is the one-shot form of createHash(…).update(…).digest(…): same digest, a third of the cost.
  return hash('sha256', id, 'base64url');
}
// #endregion hash

/** Enough to tell two sessions apart on screen, too little to use. */
export function maskId(id: string): string {
  return `${id.slice(0, 6)}…${id.slice(-2)}`;
}
