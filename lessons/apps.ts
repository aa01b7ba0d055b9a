// Every runnable lesson app, by the name the CLI and the site use (`npm run sandbox -- counter`).
import type { SandboxApp } from '../sandbox/cli/apps.ts';
import { forgetfulApp } from './01-why-sessions/forgetful.ts';
import { nameFormApp } from './01-why-sessions/name-form.ts';
import { counter } from './07-session-api/counter.ts';
import { slowCounter } from './10-concurrency/slow-counter.ts';
import { loginApp } from './11-security/login-app.ts';

export interface LessonApp extends SandboxApp {
  /** The chapter folder under lessons/ the app belongs to. */
  chapter: string;
}

export const APPS = {
  'name-form': {
    title: 'Your name across three pages',
    chapter: '01-why-sessions',
    defaultStore: 'ram',
    create: async () => ({ app: nameFormApp }),
  },
  forgetful: {
    title: 'Without a session, HTTP forgets',
    chapter: '01-why-sessions',
    defaultStore: 'ram',
    create: async () => ({ app: forgetfulApp }),
  },
  counter: {
    title: 'Page-view counter',
    chapter: '07-session-api',
    defaultStore: 'ram',
    create: async () => ({ app: counter }),
  },
  'db-store': {
    title: 'Your own storage: the session_data table',
    chapter: '08-your-own-storage',
    defaultStore: 'custom',
    // Loaded on use: it opens SQLite, and a database driver when the store is postgres or mysql.
    create: async (config) => (await import('./08-your-own-storage/db-store.ts')).createDbStore(config),
  },
  'seed-flaws': {
    title: "The seed's flaws, live",
    chapter: '08-your-own-storage',
    defaultStore: 'ram',
    // Loaded on use: it opens in-memory SQLite databases (node:sqlite), one pair per visitor.
    create: async (config) => (await import('./08-your-own-storage/seed-flaws.ts')).createSeedFlaws(config),
  },
  'slow-counter': {
    title: 'Slow counter: lost updates',
    chapter: '10-concurrency',
    defaultStore: 'ram',
    create: async () => ({ app: slowCounter }),
  },
  login: {
    title: 'Signing in and out',
    chapter: '11-security',
    defaultStore: 'ram',
    // `absoluteTimeout` (minutes) also bounds a sign-in, counted from the sign-in itself (default 8 h).
    create: async (config) => ({
      app: loginApp(
        config.absoluteTimeout === null ? {} : { signedInLimitMs: config.absoluteTimeout * 60_000 },
      ),
    }),
  },
} satisfies Record<string, LessonApp>;

export type AppName = keyof typeof APPS;

export function isAppName(name: string): name is AppName {
  return Object.hasOwn(APPS, name);
}
