// Errors the engine turns into clear pages. Each carries the HTTP status it should become.

export class SessionLabError extends Error {
  readonly status: number;
  readonly hint: string;
  constructor(status: number, message: string, hint: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.hint = hint;
  }
}

/** The store did not answer (down, unreachable, timed out). Nothing was lost: nothing was written. */
export class StoreUnavailableError extends SessionLabError {
  readonly store: string;
  constructor(store: string, message: string, hint: string, options?: ErrorOptions) {
    super(503, `[session-lab] [${store}] ${message}`, hint, options);
    this.store = store;
  }
}

/** The session would not fit the store (4 KB cookie, `maxSessionBytes`). The old data is kept. */
export class SessionTooLargeError extends SessionLabError {
  constructor(store: string, bytes: number, limit: number, hint: string) {
    super(413, `[session-lab] [${store}] session is ${bytes} bytes; the limit is ${limit}`, hint);
  }
}

/**
 * The store is full of sessions in use, so a new one is refused rather than pushing one of them out.
 * Nothing was lost: the sessions already there are untouched.
 */
export class StoreFullError extends SessionLabError {
  /** When room may have come free: the least recently used session stops counting as in use. */
  readonly retryAfterSeconds: number;
  constructor(store: string, maxSessions: number, recentMinutes: number, retryAfterSeconds: number) {
    super(
      503,
      `[session-lab] [${store}] all ${maxSessions} sessions this process keeps were used in the last ${recentMinutes} minutes, so there is no room for a new one`,
      `Try again in ${retryAfterSeconds} s. Sessions already started keep working; a session that has not been used for ${recentMinutes} minutes makes room.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Another request held this session's lock for longer than `lockTimeout`. */
export class LockTimeoutError extends SessionLabError {
  constructor(seconds: number) {
    super(
      503,
      `[session-lab] another request held this session for more than ${seconds} s`,
      'The store is working: another request of this session (a second tab, a double click) was still being served. Try again in a moment; if it keeps happening, a request is stuck while holding the session (raise lockTimeout or find it).',
    );
  }
}

/** Gives up on a store call that takes too long, so a dead server fails fast instead of hanging. */
export async function withTimeout<T>(store: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(store, `no answer within ${ms} ms`, 'Is the server running?')),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A store failure as a visitor of a public site (`showLocations = false`) may read it: the store's name
 * only. The original's message and hint can hold a file path, a database URL or user, or a driver's
 * words naming them; it belongs in the log.
 */
export function withoutLocation(error: StoreUnavailableError): StoreUnavailableError {
  return new StoreUnavailableError(
    error.store,
    'the session store did not answer',
    "Nothing was saved. Try again in a moment; the site's log has the reason.",
    { cause: error },
  );
}
