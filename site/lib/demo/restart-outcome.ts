// "Restart server" and "Crash it (kill -9)": what the new process found of the session, told by
// comparing the session before the action with what the store hands the new process. Only the
// comparison can tell the truth: a store that still has the session may have an older copy of it
// (writePolicy interval or on-shutdown after a kill), and then the changes since that copy are lost.
import type { JsonValue } from '../../../sandbox/engine/types.ts';

/** The session as one inspection showed it (api.ts InspectAnswer, the fields compared here). */
export interface SessionSnapshot {
  store: string;
  storeKey?: string;
  live?: boolean;
  data?: Record<string, JsonValue> | null;
}

type Data = Record<string, JsonValue>;

/** Equal JSON values, whatever the order of their keys (this runs in the browser: no node:util). */
function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  const record = (value: object): Record<string, JsonValue> => value as Record<string, JsonValue>;
  return (
    keys.length === Object.keys(b).length && keys.every((key) => sameJson(record(a)[key], record(b)[key]))
  );
}

/** `pageViews 5, note "hi"`: the values a reader can check against the page. */
function described(data: Data): string {
  const parts = Object.entries(data).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return parts.length ? parts.join(', ') : 'no data';
}

/** The numbers that fell back, each with how many updates that undid. */
function fallen(before: Data, after: Data): string[] {
  const lost: string[] = [];
  for (const [key, was] of Object.entries(before)) {
    const now = after[key];
    if (typeof was !== 'number' || typeof now !== 'number' || now >= was) continue;
    const count = was - now;
    lost.push(`${key} fell from ${was} to ${now}: ${count} update${count === 1 ? ' was' : 's were'} lost`);
  }
  return lost;
}

export interface RestartOutcome {
  /** What the store still had: the session as it was, an older copy of it, or nothing. */
  kept: 'all' | 'older' | 'none';
  text: string;
}

/**
 * What the process found of the session, or null when there was no session before to compare with
 * (the reload then tells what happened, as after any other action). `worker`: the pid that answered
 * the look after the action, named when the demo runs several processes.
 */
export function restartOutcome(
  before: SessionSnapshot | null,
  after: SessionSnapshot | null,
  worker: string | null = null,
): RestartOutcome | null {
  if (!before?.live || !before.data || !before.storeKey) return null;
  const inBrowser = before.store === 'cookie';
  const was = described(before.data);
  const asked = worker ? `Asked through pid ${worker}, the` : 'The';
  const kept = after?.live && after.storeKey === before.storeKey && after.data ? after.data : null;
  if (!kept) {
    return {
      kept: 'none',
      text: inBrowser
        ? `${asked} server could not open the session from the browser's data cookie: everything in it (${was}) was lost.`
        : `${asked} store had no copy of the session: everything in it (${was}) was lost.`,
    };
  }
  if (sameJson(kept, before.data)) {
    return {
      kept: 'all',
      text: inBrowser
        ? `${asked} browser still held the session's data cookie and it opened as it was (${was}): the session survived.`
        : `${asked} store still had the session as it was (${was}): it survived.`,
    };
  }
  const lost = fallen(before.data, kept);
  const older = `${asked} store had only an older copy of the session (${described(kept)}, not ${was})`;
  return {
    kept: 'older',
    text: lost.length ? `${older}: ${lost.join('; ')}.` : `${older}: the changes since that copy were lost.`,
  };
}
