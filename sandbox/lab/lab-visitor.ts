// Lab containment (issue 13 design §2): the login demo keeps each browser's accounts under its
// `lab_visitor` cookie and records, in a signed-in session, the hash of the visitor it was signed in
// under. An attack demo's id (planted, adopted, replayed) may reach another browser; its session must not.
import type { CookieValues } from '../engine/cookies.ts';
import { hashId, isWellFormedId } from '../engine/ids.ts';
import type { SessionRecord } from '../engine/types.ts';

/** The cookie that names a browser's accounts in the login demo (the login app sets it). */
export const VISITOR_COOKIE = 'lab_visitor';

/** True when the record names a visitor and the request carries another one's cookie, or none. */
export function belongsToAnotherVisitor(record: SessionRecord, cookies: CookieValues): boolean {
  const owner = record.data.visitor;
  if (typeof owner !== 'string') return false;
  const value = cookies[VISITOR_COOKIE]?.[0];
  return value === undefined || !isWellFormedId(value) || hashId(value) !== owner;
}
