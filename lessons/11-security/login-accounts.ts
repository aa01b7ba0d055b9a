// The login demo's accounts, one set per visitor: alice and bob, each with an email, a password hash,
// the index of their signed-in sessions and their remember-me tokens. A visitor's set is one record
// beside the sessions (AppContext `records`), named after the hash of their `lab_visitor` cookie, so
// two browsers never see or change each other's accounts.

import type { SideRecords } from '../../sandbox/engine/side-records.ts';
import type { JsonValue } from '../../sandbox/engine/types.ts';
import { hashPassword } from './login-passwords.ts';

// #region accounts
/** The demo accounts and the passwords the sign-in page shows. */
export const DEMO_USERS = {
  alice: { password: 'wonderland', email: 'alice@example.test' },
  bob: { password: 'builder', email: 'bob@example.test' },
} as const;

export type UserName = keyof typeof DEMO_USERS;

export interface Account {
  email: string;
  /** `scrypt$N$r$p$salt$hash` (login-passwords.ts). */
  passwordHash: string;
  /** Every session signed in to this account: its store key, its id masked for display, since when. */
  sessions: SessionEntry[];
  /** Remember-me tokens: the selector in clear, only a hash of the validator. */
  tokens: RememberToken[];
}

export interface SessionEntry {
  key: string;
  shown: string;
  signedInAt: number;
}

export interface RememberToken {
  selector: string;
  validatorHash: string;
  createdAt: number;
  expiresAt: number;
}

export type Accounts = Record<UserName, Account>;
// #endregion accounts

/** At most this many signed-in sessions per account: a new one ends the oldest. */
export const MAX_SESSIONS = 8;
/** At most this many remember-me tokens per account: a new one revokes the oldest. */
export const MAX_TOKENS = 4;
/** A visitor's accounts go this long after their last change (then alice and bob start afresh). */
export const ACCOUNTS_TTL_MS = 7 * 24 * 3_600_000;

export function isUserName(name: string): name is UserName {
  return Object.hasOwn(DEMO_USERS, name);
}

// The demo passwords are hashed once per process, not per visitor: a crowd of new visitors must not
// cost two scrypt runs each. Every visitor's copy starts with the same salt until they change it.
let defaults: Promise<Accounts> | undefined;
export function defaultAccounts(): Promise<Accounts> {
  defaults ??= (async () => {
    const entries = await Promise.all(
      Object.entries(DEMO_USERS).map(async ([name, user]) => [
        name,
        { email: user.email, passwordHash: await hashPassword(user.password), sessions: [], tokens: [] },
      ]),
    );
    return Object.fromEntries(entries) as Accounts;
  })();
  return defaults;
}

function recordName(visitor: string): string {
  return `login:${visitor}`;
}

/** The visitor's accounts as stored, or null while they have never signed in. */
export async function readAccounts(records: SideRecords, visitor: string): Promise<Accounts | null> {
  return (await records.read(recordName(visitor))) as Accounts | null;
}

/** The record as the store holds it, for the account page. */
export function rawAccounts(records: SideRecords, visitor: string): Promise<string | null> {
  return records.raw(recordName(visitor));
}

/**
 * Changes the visitor's accounts under the record's lock (created from the defaults if missing) and
 * returns them as saved. `change` must not wait on anything: it runs while the lock is held.
 */
export async function changeAccounts(
  records: SideRecords,
  visitor: string,
  change: (accounts: Accounts) => void,
): Promise<Accounts> {
  const fresh = await defaultAccounts();
  const saved = await records.update(recordName(visitor), (current) => {
    const accounts = structuredClone((current as Accounts | null) ?? fresh);
    change(accounts);
    return { value: accounts as unknown as JsonValue, ttlMs: ACCOUNTS_TTL_MS };
  });
  return saved as unknown as Accounts;
}
