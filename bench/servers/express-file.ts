// D. express-session + session-file-store, default options: files under ./sessions (the child's cwd is
// the run's scratch directory), written atomically (write-file-atomic: temp file + rename).
import session from 'express-session';
import fileStoreFactory from 'session-file-store';
import { expressCounter } from './express-session.ts';
import type { CreateServer } from './types.ts';

export const create: CreateServer = async () => {
  const FileStore = fileStoreFactory(session);
  return expressCounter(new FileStore());
};
