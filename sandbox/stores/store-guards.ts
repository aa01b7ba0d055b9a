// What every store that talks to a server or a database file checks and wraps: the key it is given,
// and the errors its driver throws.
import { LockTimeoutError, StoreUnavailableError } from '../engine/errors.ts';
import { SERVER_DEFAULTS, type ServerKind } from './locations.ts';

/** A SHA-256 hash in base64url (engine/ids.ts `hashId`): the only key a store accepts, never a raw id. */
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function checkKey(store: string, key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new TypeError(
      `[session-lab] [${store}] a key must be 43 base64url characters (a SHA-256 hash from hashId); this one (length ${key.length}) is not`,
    );
  }
}

/** Turns any driver failure into the 503 the engine renders, naming the place (`what`: a path or a
 * redacted URL) and the variable to set. */
export function unavailable(kind: ServerKind, what: string, cause: unknown): StoreUnavailableError {
  const error = cause as { message?: string; code?: string; name?: string } | undefined;
  // Connecting to `localhost` can fail with an AggregateError whose message is empty; the code is not.
  const reason = error?.message || error?.code || error?.name || String(cause);
  const names = { postgres: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', redis: 'Redis' } as const;
  const start = kind === 'sqlite' ? 'Check that the directory is writable' : `Start ${names[kind]}`;
  const hint = `${start} or set ${SERVER_DEFAULTS[kind].env}`;
  return new StoreUnavailableError(kind, `${what}: ${reason}`, hint, { cause });
}

/** Wraps each call so a failure always surfaces as StoreUnavailableError; our own errors pass through. */
export async function guarded<T>(kind: ServerKind, what: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LockTimeoutError || error instanceof StoreUnavailableError) throw error;
    throw unavailable(kind, what, error);
  }
}
