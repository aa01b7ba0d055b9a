// `showLocations`: locally the inspector and the error pages say where a session lives (the chapters
// teach it: the file path, the table and its database URL); on a public site (`showLocations = false`,
// set by the site in public mode) they name no absolute path, database URL or database user, even when
// the store is down and its driver's message names them (issue 11 §5).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { Inspector } from '../inspector/inspector.ts';
import { createStore } from '../stores/index.ts';
import { locationFor } from '../stores/locations.ts';
import { ramStore } from '../stores/ram.ts';
import { counter } from '../testing/apps.ts';
import { TestClient } from '../testing/client.ts';
import { COOKIE } from '../testing/engine.ts';
import { skipUnless } from '../testing/servers.ts';
import { freshTable } from '../testing/sql-store-contract.ts';
import { createTransport } from '../transports/index.ts';
import { defineConfig, type SessionConfig } from './config.ts';
import { generateId } from './ids.ts';
import type { Store } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'engine-locations-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const skip = { postgres: await skipUnless('postgres'), mysql: await skipUnless('mysql') };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (let close = closers.pop(); close; close = closers.pop()) await close();
});

async function visitor(config: Partial<SessionConfig>): Promise<TestClient> {
  const full = defineConfig(config);
  const inspector = new Inspector(full, await createStore(full), createTransport(full), {
    storeCallMs: 4_000,
  });
  closers.push(() => inspector.engine.close());
  return new TestClient((request) => inspector.handle(request, counter));
}

interface Backend {
  name: string;
  skip: string | false;
  /** The config, on a place of its own; `cleanup` removes that place. */
  open(): Promise<{ config: Partial<SessionConfig>; cleanup(): Promise<void> }>;
  /** What only the local inspector may show: the path, the URL and its user. */
  secrets: string[];
  /** What the public inspector says instead. */
  place: (key: string) => string;
}

const BACKENDS: Backend[] = [
  {
    name: 'file',
    skip: false,
    async open() {
      return {
        config: { storageType: 'file', storageFileDir: join(dir, `files-${freshTable()}`) },
        cleanup: async () => {},
      };
    },
    secrets: [dir],
    place: (key) => `file ${key}.json in the session folder (storageFileDir)`,
  },
  {
    name: 'sqlite',
    skip: false,
    async open() {
      return {
        config: { storageType: 'sqlite', databaseUrl: join(dir, `${freshTable()}.sqlite`) },
        cleanup: async () => {},
      };
    },
    secrets: [dir],
    place: () => 'table session_data in the SQLite file',
  },
  {
    name: 'postgres',
    skip: skip.postgres,
    async open() {
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: locationFor('postgres') });
      await admin.connect();
      // A schema of its own, so the shared table is not touched; its name quoted as an identifier.
      const name = freshTable();
      const schema = pg.escapeIdentifier(name);
      await admin.query('CREATE SCHEMA '.concat(schema));
      const url = new URL(locationFor('postgres'));
      url.searchParams.set('options', `-c search_path=${name}`);
      return {
        config: { storageType: 'postgres', databaseUrl: url.toString() },
        async cleanup() {
          await admin.query('DROP SCHEMA IF EXISTS '.concat(schema, ' CASCADE'));
          await admin.end();
        },
      };
    },
    secrets: ['postgres://', `${new URL(locationFor('postgres')).username}@`],
    place: () => 'table session_data (PostgreSQL)',
  },
  {
    name: 'mysql',
    skip: skip.mysql,
    async open() {
      const mysql = await import('mysql2/promise');
      const admin = await mysql.createConnection({ uri: locationFor('mysql') });
      const database = freshTable();
      await admin.query('CREATE DATABASE ??', [database]);
      const url = new URL(locationFor('mysql'));
      url.pathname = `/${database}`;
      return {
        config: { storageType: 'mysql', databaseUrl: url.toString() },
        async cleanup() {
          await admin.query('DROP DATABASE IF EXISTS ??', [database]);
          await admin.end();
        },
      };
    },
    secrets: ['mysql://', `${new URL(locationFor('mysql')).username}@`],
    place: () => 'table session_data (MySQL)',
  },
];

describe("the inspector's location of a stored session", () => {
  for (const backend of BACKENDS) {
    it(`on ${backend.name}: the path or URL locally, a generic place on a public site`, {
      skip: backend.skip,
    }, async () => {
      const { config, cleanup } = await backend.open();
      try {
        for (const showLocations of [true, false]) {
          const browser = await visitor({ ...config, showLocations });
          await browser.get('/');
          const text = (await browser.get('/_inspect')).text;
          const answer = JSON.parse(text) as { storeKey: string; stored: { location: string; raw: string } };
          assert.match(answer.stored.raw, /pageViews/, 'the record itself is shown either way');
          for (const secret of backend.secrets) {
            if (showLocations) assert.ok(text.includes(secret), `locally the inspector names ${secret}`);
            else assert.ok(!text.includes(secret), `a public inspector never names ${secret}: ${text}`);
          }
          if (!showLocations) assert.equal(answer.stored.location, backend.place(answer.storeKey));
          await closers.pop()?.();
        }
      } finally {
        await cleanup();
      }
    });
  }
});

// Stores that cannot answer, each with a place that names a path or a user.
const USER = 'lab_secret_user';
const DOWN: { name: string; config: () => Partial<SessionConfig>; secrets: string[] }[] = [
  {
    name: 'file',
    config: () => {
      const files = join(dir, `gone-${freshTable()}`);
      return { storageType: 'file', storageFileDir: files };
    },
    secrets: [dir],
  },
  {
    name: 'sqlite',
    config: () => {
      // Its directory is a plain file: the database cannot be opened.
      const file = join(dir, `plain-${freshTable()}`);
      writeFileSync(file, '');
      return { storageType: 'sqlite', databaseUrl: join(file, 'sessions.sqlite') };
    },
    secrets: [dir],
  },
  {
    name: 'postgres',
    config: () => ({ storageType: 'postgres', databaseUrl: `postgres://${USER}@127.0.0.1:1/test` }),
    secrets: ['postgres://', USER, '127.0.0.1:1'],
  },
  {
    name: 'mysql',
    config: () => ({ storageType: 'mysql', databaseUrl: `mysql://${USER}@127.0.0.1:1/test` }),
    secrets: ['mysql://', USER, '127.0.0.1:1'],
  },
];

describe('a store that is down', () => {
  for (const backend of DOWN) {
    it(`on ${backend.name}: the page and the inspector name no path, URL or user on a public site; the log does`, async (t) => {
      for (const showLocations of [true, false]) {
        const config = { ...backend.config(), showLocations };
        const browser = await visitor(config);
        // The file store makes its folder at start; take it away so every read fails.
        if (config.storageType === 'file' && config.storageFileDir) {
          rmSync(config.storageFileDir, { recursive: true });
          writeFileSync(config.storageFileDir, '');
        }
        const logged: unknown[] = [];
        const log = t.mock.method(console, 'error', (...args: unknown[]) => logged.push(...args));
        const cookie = `${COOKIE}=${generateId()}`;
        const page = await browser.get('/', { cookie });
        const inspected = await browser.get('/_inspect', { cookie });
        log.mock.restore();
        assert.equal(page.response.status, 503);
        assert.equal(inspected.response.status, 503);
        for (const text of [page.text, inspected.text]) {
          for (const secret of backend.secrets) {
            if (showLocations) assert.ok(text.includes(secret), `locally the page names ${secret}: ${text}`);
            else assert.ok(!text.includes(secret), `a public page never names ${secret}: ${text}`);
          }
        }
        if (!showLocations) {
          assert.match(page.text, /The session store is not available/);
          assert.match(page.text, new RegExp(`\\[${backend.name}\\] the session store did not answer`));
          const log = logged
            .map((entry) => (entry instanceof Error ? entry.message : String(entry)))
            .join('\n');
          assert.ok(
            backend.secrets.every((secret) => log.includes(secret)),
            `the log keeps the reason: ${log}`,
          );
        }
        await closers.pop()?.();
      }
    });
  }
});

describe('an unexpected error while inspecting', () => {
  it('is shown locally, and on a public site only said to be logged', async (t) => {
    const secret = '/srv/secret/sessions';
    const broken: Store = {
      ...ramStore({ maxSessions: 10 }),
      inspect: async () => {
        throw new Error(`EACCES: permission denied, open '${secret}'`);
      },
    };
    for (const showLocations of [true, false]) {
      const config = defineConfig({ showLocations });
      const inspector = new Inspector(config, broken, createTransport(config));
      const browser = new TestClient((request) => inspector.handle(request, counter));
      await browser.get('/');
      const log = t.mock.method(console, 'error', () => {});
      const { response, text } = await browser.get('/_inspect');
      log.mock.restore();
      assert.equal(response.status, 500);
      if (showLocations) assert.ok(text.includes(secret), text);
      else {
        assert.ok(!text.includes(secret), text);
        assert.match(text, /the session could not be read; the error was logged/);
        assert.equal(log.mock.callCount(), 1, 'the log has it');
      }
    }
  });
});
