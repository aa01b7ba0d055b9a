// The little of each untyped devDependency the bench uses. Declared here rather than adding
// @types/* packages, so the bench adds nothing to package.json.

declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Client {
    setHeaders(headers: Record<string, string>): void;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    timeout?: number;
    setupClient?: (client: Client) => void;
  }
  interface Result {
    requests: { total: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    resets: number;
    duration: number;
  }
  interface Instance extends EventEmitter {
    stop(): void;
  }
  function autocannon(options: Options, done: (error: Error | null, result: Result) => void): Instance;
  export default autocannon;
}

declare module 'express' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';

  interface Request extends IncomingMessage {
    session: Record<string, unknown> & { pageViews?: number };
  }
  interface Response extends ServerResponse {
    send(body: string): this;
    json(body: unknown): this;
  }
  type Handler = (req: Request, res: Response, next: (error?: unknown) => void) => void;
  interface Application {
    (req: IncomingMessage, res: ServerResponse): void;
    use(handler: unknown): this;
    get(path: string, handler: Handler): this;
    set(setting: string, value: unknown): this;
    listen(port: number, host: string, ready: () => void): Server;
  }
  function express(): Application;
  export default express;
}

declare module 'express-session' {
  interface Options {
    secret: string;
    resave: boolean;
    saveUninitialized: boolean;
    store?: unknown;
  }
  interface SessionModule {
    (options: Options): unknown;
    Store: new () => unknown;
  }
  const session: SessionModule;
  export default session;
}

declare module 'session-file-store' {
  function fileStore(session: unknown): new (options?: Record<string, unknown>) => unknown;
  export default fileStore;
}

declare module 'connect-pg-simple' {
  import type { Pool } from 'pg';

  interface PgStore {
    close(): Promise<void>;
  }
  function pgSimple(
    session: unknown,
  ): new (options: {
    pool: Pool;
    createTableIfMissing?: boolean;
  }) => PgStore;
  export default pgSimple;
}

declare module 'express-mysql-session' {
  interface MySQLStore {
    onReady(): Promise<void>;
    close(): Promise<void>;
    destroy(sid: string, done: (error?: unknown) => void): void;
  }
  function mysqlSession(session: unknown): new (options: Record<string, unknown>) => MySQLStore;
  export default mysqlSession;
}
