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

/** Another request held this session's lock for longer than `lockTimeout`. */
export class LockTimeoutError extends SessionLabError {
  constructor(seconds: number) {
    super(
      503,
      `[session-lab] another request held this session for more than ${seconds} s`,
      'Try again; if it keeps happening, a request is stuck while holding the session (raise lockTimeout or find it).',
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
