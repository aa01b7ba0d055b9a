// A database client opened on first use and shared by every call after it: the SQL stores and the
// site's PostgreSQL shared state. Nothing connects at start-up, so a server that is down fails the
// requests that need it (a 503 naming the variable), never the process.
export interface LazyClientParts<C> {
  /** Makes the client (a pool, a database handle); the driver is imported here, on first use. */
  connect(): Promise<C>;
  /** Runs once on a new client before anyone gets it (tables, settings); a failure ends the client. */
  setUp?(client: C): Promise<void> | void;
  /** Ends the client: waits for calls in flight where the driver does. */
  end(client: C): Promise<void> | void;
}

export interface LazyClient<C> {
  /** The client, connecting (and setting up) first if no attempt is under way or has succeeded. */
  get(): Promise<C>;
  /** Ends the client if one was opened; the next `get()` connects again. */
  close(): Promise<void>;
}

export function lazyClient<C>({ connect, setUp, end }: LazyClientParts<C>): LazyClient<C> {
  let ready: Promise<C> | undefined;
  const open = async (): Promise<C> => {
    const client = await connect();
    try {
      await setUp?.(client);
    } catch (error) {
      await Promise.resolve()
        .then(() => end(client))
        .catch(() => {});
      throw error;
    }
    return client;
  };
  return {
    // A failed start is forgotten, so the next call tries again once the server is back. A pooled
    // connection that dies later is dropped and replaced by the driver itself.
    get: () =>
      (ready ??= open().catch((error: unknown) => {
        ready = undefined;
        throw error;
      })),
    async close() {
      const closing = ready;
      ready = undefined;
      const opened = await closing?.catch(() => undefined);
      if (opened !== undefined) await end(opened);
    },
  };
}
