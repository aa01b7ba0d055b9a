// Reading back a SessionRecord stored as JSON text (file, redis, cookie; the SQL store checks its row
// with `asRecord`). Whatever comes back from outside this process may be torn, hand-edited or hostile:
// anything that is not a record is a missing session (null), never a 500 (reference test 30;
// cherrypy FileSession `_load`).
import type { SessionData, SessionRecord } from '../engine/types.ts';

export function parseRecord(text: string | null | undefined): SessionRecord | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return asRecord(value);
}

/** The value itself when it has the shape of a record, else null. */
export function asRecord(value: unknown): SessionRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const { data, createdAt, expiresAt } = value as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  if (typeof createdAt !== 'number' || typeof expiresAt !== 'number') return null;
  return { data: data as SessionData, createdAt, expiresAt };
}
