// What each bench server module exports: a request listener and a way to shut it down.
import type { RequestListener } from 'node:http';
import type { StorageType } from '../../sandbox/engine/config.ts';

export interface ServerOptions {
  /** A scratch directory for this run (files, SQLite), removed afterwards. */
  dir: string;
  /** Which store, for the Session Lab engine server. */
  storageType?: StorageType;
}

export interface BenchServer {
  listener: RequestListener;
  /** Deletes the sessions the bench created (cookies as the client held them), then closes. */
  close(cookieHeaders: string[]): Promise<void>;
}

export type CreateServer = (options: ServerOptions) => Promise<BenchServer>;

/** Thrown when the server's backend is not there: the bench lists it as skipped, with this reason. */
export class BackendMissing extends Error {}

/** The secret every signing server uses (express-session, the cookie store): 32+ characters. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
