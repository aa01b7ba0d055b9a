// !!! DELIBERATELY UNSAFE: THE ONLY PLACE IN SESSION LAB WHERE SQL IS BUILT FROM STRINGS. !!!
//
// The seed's save/load pair (CherryPy manual §16.7) ported as faithfully as a demo allows, flaws and
// all, so chapter 8 can show each flaw succeeding. Never copy it; session-functions.ts is the fix.
// It runs only on a visitor's own scratch database (scratch.ts: in memory, one per visitor, bounded),
// and every statement it builds passes the lab's fence (sql-fence.ts) before it runs.
//
// 1. SQL by string formatting: the values are pasted into the query text (the seed's `'%s' % value`).
//    Unlike the seed, the data is not base64-encoded, so a quote in a session value reaches the SQL.
// 2. A format that builds whatever type the stored data names (revival.ts, standing in for pickle).
// 3. Save is a delete, then an insert, with no transaction and no key on the table. Each statement is a
//    round trip to the database (`query` awaits it), so other requests run between the two.
import type { Registry } from './revival.ts';
import { dump, revive } from './revival.ts';

/** Runs one SQL statement on the scratch database, as the seed's `myDb.query` did, and returns its rows. */
export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

export interface SeedFaithfulFunctions {
  saveSessionData(sessionId: string, sessionData: Record<string, unknown>): Promise<void>;
  loadSessionData(sessionId: string): Promise<Record<string, unknown> | null>;
}

/** The seed's table: two nullable columns and no key, so nothing stops two rows for one session. */
export const SEED_TABLE = 'create table session_data (sessionId varchar(50), sessionData text)';

export function seedFaithfulFunctions(query: Query, registry: Registry, Session: Registry[string]) {
  // #region seed-faithful
  // UNSAFE ON PURPOSE: every `${…}` below pastes a value into SQL text. Never write this.
  async function saveSessionData(sessionId: string, sessionData: Record<string, unknown>) {
    const dumpStr = dump(new Session(sessionData), registry); // the seed: pickle.dump, then base64
    await query(`delete from session_data where sessionId='${sessionId}'`);
    // ← between these two round trips, this session has no row at all
    await query(`insert into session_data values('${sessionId}', '${dumpStr}')`);
  }

  async function loadSessionData(sessionId: string) {
    const rows = await query(`select sessionData from session_data where sessionId='${sessionId}'`);
    const text = rows[0]?.sessionData;
    if (typeof text !== 'string') return null;
    const revived = revive(text, registry); // the seed: pickle.load, which builds what the data names
    return typeof revived === 'object' && revived !== null ? { ...revived } : null;
  }
  // #endregion seed-faithful
  return { saveSessionData, loadSessionData } satisfies SeedFaithfulFunctions;
}
