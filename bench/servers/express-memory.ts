// C. express-session with its default MemoryStore.
import { expressCounter } from './express-session.ts';
import type { CreateServer } from './types.ts';

export const create: CreateServer = async () => expressCounter(undefined);
