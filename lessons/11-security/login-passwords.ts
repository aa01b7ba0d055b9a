// Password hashes with node:crypto's scrypt: a random salt per password, the cost parameters stored
// with the hash (so they can be raised later without breaking old hashes), and a constant-time
// comparison (OWASP Password Storage Cheat Sheet).
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// #region hash
/**
 * scrypt's cost: N (CPU and memory), r (block size), p (parallelism). One of OWASP's equivalent
 * settings: 16 MiB of memory a hash (128 × N × r) instead of N=2^17's 128 MiB, for a shared demo server.
 */
const COST = { N: 2 ** 14, r: 8, p: 5 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url: everything needed to check a password later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  // Equal lengths first: timingSafeEqual throws on a length mismatch.
  return key.length === expected.length && timingSafeEqual(key, expected);
}
// #endregion hash

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...cost, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}
