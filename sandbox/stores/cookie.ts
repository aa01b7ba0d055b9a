// Cookie: the whole session travels in a second cookie, sealed so the client can neither read nor change
// it (never trust client state: OWASP Session Management "Expire and Max-Age"; reference test 52).
// Seal = AES-256-GCM over JSON `{k: key, r: record}`, then HMAC-SHA256 over `v1.<iv>.<ciphertext+tag>`:
// `v1.<iv>.<ciphertext+tag>.<hmac>`, base64url. Both keys are derived (HKDF-SHA256) from one secret, with
// different labels. `k` binds the data to the session's key, so another session's cookie pasted beside
// this id is refused. Secrets rotate like express-session's: seal with the first, accept any; a cookie
// accepted under an older secret is sealed again with the first on the next save.
// What this store cannot do (lessons quote this):
// - Lock. The state lives in the browser: two requests in flight both carry the same old cookie, and the
//   response that arrives last wins, so the other one's update is lost. No server-side lock can help.
// - Revoke. Logout deletes the cookie, but a copy taken earlier stays valid until the expiry sealed
//   inside it (the engine refuses expired records). Keep `timeout` short.
// - Grow. RFC 6265 §6.1 only promises 4096 bytes per cookie, name and attributes included; past that,
//   browsers drop the cookie silently (expressjs/cookie-session#35), so `save` refuses loudly instead.
import * as crypto from 'node:crypto';
import { ConfigError } from '../engine/config.ts';
import { serializeSetCookie, sessionCookieName } from '../engine/cookies.ts';
import { SessionTooLargeError } from '../engine/errors.ts';
import { MIN_SECRET_CHARS, shortSecretProblem } from '../engine/secret-rule.ts';
import type { JsonValue, SessionRecord, SetCookie, Store } from '../engine/types.ts';
import { ramStore } from './ram.ts';
import { asRecord } from './record-json.ts';

export const COOKIE_STORE = 'cookie';

export interface CookieStoreOptions {
  /** Newest first: seal with the first, accept any. Each at least MIN_SECRET_CHARS characters. */
  secrets: string[];
  cookieName: string;
  path: string;
  sameSite: 'lax' | 'strict' | 'none';
  /** How many records apps keep beside sessions this process holds (its `sideStore`); default 1,000. */
  maxSideRecords?: number;
}

const VERSION = 'v1';
const FORMAT = 'v1.iv.ciphertext.hmac';
const MAX_COOKIE_BYTES = 4096;
const IV_BYTES = 12; // the GCM standard nonce; random per seal, so a key seals ~2^32 cookies safely
const TAG_BYTES = 16;
const SAME_SITE = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;

type Signature = 'valid' | 'valid (old secret)' | 'invalid' | 'missing';
type Keys = { encrypt: Buffer; sign: Buffer };
type Opened = { signature: Signature; key?: string; record?: SessionRecord };

export function cookieStore({
  secrets,
  cookieName,
  path,
  sameSite,
  maxSideRecords = 1_000,
}: CookieStoreOptions): Store {
  const problem = secrets.length === 0 ? 'got none' : shortSecretProblem(secrets);
  if (problem !== undefined) {
    throw new ConfigError(
      `storageType=cookie needs a secret of at least ${MIN_SECRET_CHARS} characters (\`secret = …\` in [session]; several, comma-separated, newest first, to rotate): ${problem}`,
    );
  }
  const keyring = secrets.map(derive);
  const current = keyring[0] as Keys; // there is one: checked above

  const seal = (key: string, record: SessionRecord): string => {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', current.encrypt, iv);
    const plain = JSON.stringify({ k: key, r: record });
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const body = `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
    return `${body}.${hmac(current, body)}`;
  };

  const open = (value: string): Opened => {
    const parts = value.split('.');
    if (parts.length === 3 && parts[0] === VERSION) return { signature: 'missing' };
    if (parts.length !== 4 || parts[0] !== VERSION) return { signature: 'invalid' };
    // Compare the text, not decoded bytes: base64url decoding ignores stray characters and spare bits,
    // so two different strings can decode alike. Constant time, so timing leaks nothing of the MAC.
    const body = value.slice(0, value.lastIndexOf('.'));
    const given = Buffer.from(parts[3] as string);
    const index = keyring.findIndex((keys) => {
      const expected = Buffer.from(hmac(keys, body));
      return expected.length === given.length && crypto.timingSafeEqual(expected, given);
    });
    if (index < 0) return { signature: 'invalid' };
    const signature = index === 0 ? 'valid' : 'valid (old secret)';
    try {
      const iv = Buffer.from(parts[1] as string, 'base64url');
      const sealed = Buffer.from(parts[2] as string, 'base64url');
      const keys = keyring[index] as Keys;
      const decipher = crypto.createDecipheriv('aes-256-gcm', keys.encrypt, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(sealed.subarray(-TAG_BYTES));
      const plain = Buffer.concat([decipher.update(sealed.subarray(0, -TAG_BYTES)), decipher.final()]);
      const { k, r } = JSON.parse(plain.toString('utf8')) as { k?: unknown; r?: unknown };
      const record = asRecord(r);
      return typeof k === 'string' && record ? { signature, key: k, record } : { signature };
    } catch {
      return { signature };
    }
  };

  return {
    name: COOKIE_STORE,
    // Sessions live in browsers: the records apps keep beside them stay in this process, bounded.
    sideStore: ramStore({ maxSessions: maxSideRecords }),
    async load(key, cookies) {
      const value = cookies.get(cookieName);
      if (!value) return null;
      const opened = open(value);
      // A cookie no secret opens (tampered, or sealed under a secret since dropped) is of no use to
      // anyone: the browser is told to drop it (a save later in this request replaces that). One that
      // opens but belongs to another key is left alone: it may be the session a later candidate loads.
      if (opened.key === undefined) cookies.delete(cookieName, path);
      return opened.key === key ? (opened.record ?? null) : null;
    },
    async save(key, record, cookies) {
      const seconds = Math.ceil((record.expiresAt - Date.now()) / 1000);
      if (!(seconds > 0)) return cookies.delete(cookieName, path); // nothing left worth keeping
      const cookie: SetCookie = {
        name: cookieName,
        value: seal(key, record),
        path,
        httpOnly: true,
        secure: cookies.secure,
        sameSite: SAME_SITE[sameSite],
        // The data lives as long as the record; without the id cookie it is unreadable anyway.
        maxAgeSeconds: seconds,
      };
      // Counted under the name it goes out with (`__Secure-` on https: cookie-jar.ts).
      const bytes = Buffer.byteLength(
        serializeSetCookie({ ...cookie, name: sessionCookieName(cookieName, cookies.secure) }),
      );
      if (bytes > MAX_COOKIE_BYTES) {
        const hint =
          'Nothing was saved: the browser keeps the previous cookie. Keep less in the session, or use a server-side store (storageType = file, sqlite, postgres, mysql or redis).';
        throw new SessionTooLargeError(COOKIE_STORE, bytes, MAX_COOKIE_BYTES, hint);
      }
      cookies.set(cookie);
    },
    async destroy(key, cookies) {
      // One cookie holds one session. On regenerate the engine saves the new session, then forgets the
      // old one: the old one is already overwritten, and deleting the cookie would lose the new one.
      const replacement = cookies.outgoing?.(cookieName)?.value;
      if (replacement && open(replacement).key !== key) return;
      cookies.delete(cookieName, path);
    },
    async inspect(key, cookies) {
      const raw = cookies.get(cookieName);
      if (!raw) return null;
      const opened = open(raw);
      if (opened.key !== undefined && opened.key !== key) return null; // another session's data
      return {
        store: COOKIE_STORE,
        location: `cookie ${cookieName} in the browser`,
        raw,
        bytes: Buffer.byteLength(raw),
        details: {
          signature: opened.signature,
          payload: (opened.record ?? null) as JsonValue,
          format: FORMAT,
        },
      };
    },
  };
}

/** Two independent keys from one secret: HKDF with a different label for each use. */
function derive(secret: string): Keys {
  const key = (label: string) => Buffer.from(crypto.hkdfSync('sha256', secret, 'session-lab', label, 32));
  return { encrypt: key('cookie store v1: AES-256-GCM'), sign: key('cookie store v1: HMAC-SHA256') };
}

function hmac(keys: Keys, body: string): string {
  return crypto.createHmac('sha256', keys.sign).update(body).digest('base64url');
}
