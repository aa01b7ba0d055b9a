import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defineConfig, type SessionConfig } from '../../sandbox/engine/config.ts';
import type { Store } from '../../sandbox/engine/types.ts';
import { Inspector } from '../../sandbox/inspector/inspector.ts';
import { customStore } from '../../sandbox/stores/custom.ts';
import { locationFor } from '../../sandbox/stores/locations.ts';
import { mysqlStore } from '../../sandbox/stores/mysql.ts';
import { postgresStore } from '../../sandbox/stores/postgres.ts';
import { ramStore } from '../../sandbox/stores/ram.ts';
import { sqliteStore } from '../../sandbox/stores/sqlite.ts';
import { TestClient } from '../../sandbox/testing/client.ts';
import { skipUnless } from '../../sandbox/testing/servers.ts';
import { freshTable } from '../../sandbox/testing/sql-store-contract.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { CUSTOM_FUNCTIONS_NAME, createDbStore } from './db-store.ts';
import { sessionFunctions } from './session-functions.ts';

const BASE = '/db-store/';
const ID_PARAM = 'session_lab_id';
const dir = mkdtempSync(join(tmpdir(), 'db-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
// Every describe closes what its tests opened: a root-level `after` would wait for the event loop to
// drain first (node:test ends the root at beforeExit), which an open database pool never lets happen.
const closers: (() => Promise<void>)[] = [];
async function closeAll() {
  for (let close = closers.pop(); close; close = closers.pop()) await close();
}

/**
 * The app on `config`. On the custom store the engine uses the app's own functions, as the CLI does;
 * `store` replaces the engine's store for the other cases.
 */
async function setup(overrides: Partial<SessionConfig> = {}, store?: Store) {
  const config = defineConfig({
    storageType: 'custom',
    databaseUrl: join(dir, `custom-${++files}.sqlite`),
    ...overrides,
  });
  const instance = await createDbStore(config);
  closers.push(async () => instance.close?.());
  assert.ok(instance.custom);
  const inspector = new Inspector(config, store ?? customStore(instance.custom), createTransport(config));
  const { engine } = inspector;
  const client = () => new TestClient((request) => inspector.handle(request, instance.app, BASE));
  return { config, instance, engine, client };
}

const counter = (text: string) => Number(/<output id="counter">(\d+)<\/output>/.exec(text)?.[1]);
/** The table row marked as the visitor's own, or undefined. */
const ownRow = (text: string) => /<tr class="own"[^>]*>([\s\S]*?)<\/tr>/.exec(text)?.[1];
/** The table's other rows (every <tr> of the body that is not the visitor's own). */
const otherRows = (text: string) =>
  [...(text.split('<tbody>')[1] ?? '').matchAll(/<tr(?! class="own")[^>]*>([\s\S]*?)<\/tr>/g)].map(
    (match) => match[1] ?? '',
  );

describe('db-store on its own (custom) storage', () => {
  after(closeAll);

  it('counts 1, 2, 3 and shows your row in the live table', async () => {
    const { config, client } = await setup();
    const browser = client();
    const one = await browser.get(BASE);
    assert.equal(counter(one.text), 1);
    assert.equal(ownRow(one.text), undefined, 'a new session is saved only after the page is built');
    const two = await browser.get(BASE);
    assert.equal(counter(two.text), 2);
    assert.match(ownRow(two.text) ?? '', /<strong>yours:<\/strong>[\s\S]*\{&quot;counter&quot;:1\}/);
    const three = await browser.get(BASE);
    assert.equal(counter(three.text), 3);
    assert.match(ownRow(three.text) ?? '', /\{&quot;counter&quot;:2\}/);
    assert.match(three.text, /expires<\/th>/);
    assert.match(three.text, /in 3[56]\d\d s/, 'expires in about an hour');

    // The table itself, read beside the app, holds what the third request saved.
    const reader = sessionFunctions(config.databaseUrl ?? '');
    try {
      const rows = reader.listSessionRows(20);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.data, '{"counter":3}');
      assert.match(rows[0]?.idHash ?? '', /^[A-Za-z0-9_-]{43}$/, 'the key is a hash, not the id');
      assert.notEqual(rows[0]?.idHash, browser.jar.get(ID_PARAM));
    } finally {
      reader.close();
    }
  });

  it('uses the name the registry gives the store', async () => {
    const { instance } = await setup();
    assert.equal(instance.custom?.name, CUSTOM_FUNCTIONS_NAME);
  });

  it('keeps a note, shows it escaped, and lists a second visitor as a row that is not yours', async () => {
    const { client } = await setup();
    const browser = client();
    await browser.get(BASE);
    const saved = await browser.post(`${BASE}note`, { note: '  <b>hi</b>\r\nthere  ' });
    assert.equal(saved.response.status, 200);
    assert.equal(counter(saved.text), 2);
    assert.ok(
      saved.text.includes('Your note: <q style="white-space: pre-wrap">&lt;b&gt;hi&lt;/b&gt;\nthere</q>'),
    );
    assert.ok(!saved.text.includes('<b>hi'));
    const other = client();
    await other.get(BASE);
    const page = await browser.get(BASE);
    assert.ok(
      (ownRow(page.text) ?? '').includes('&quot;note&quot;:&quot;&lt;b&gt;hi&lt;/b&gt;\\nthere&quot;'),
      'the data column shows the stored JSON, escaped',
    );
    assert.equal(page.text.match(/<tr[ >]/g)?.length, 3, 'header, your row and the other visitor');
    assert.equal(page.text.match(/<tr class="own"/g)?.length, 1);

    const removed = await browser.post(`${BASE}note`, { note: '   ' });
    assert.match(removed.text, /You have no note yet\./);
  });

  it('refuses a note over 200 characters, keeps the typed text and changes nothing', async () => {
    const { client } = await setup();
    const browser = client();
    await browser.post(`${BASE}note`, { note: 'first' });
    const long = 'x'.repeat(201);
    const refused = await browser.post(`${BASE}note`, { note: long });
    assert.equal(refused.response.status, 422);
    assert.match(refused.text, /The note is 201 characters long; at most 200 fit\. Nothing was saved\./);
    assert.ok(refused.text.includes(`>${long}</textarea>`), 'the typed note is kept in the form');
    assert.equal(counter(refused.text), 1, 'not counted');
    const after = await browser.get(BASE);
    assert.match(after.text, /Your note: <q[^>]*>first<\/q>/);
    assert.equal(counter(after.text), 2);
    const exact = await browser.post(`${BASE}note`, { note: 'y'.repeat(200) });
    assert.equal(exact.response.status, 200);
  });

  it('echoes at most 1 000 characters of a huge note', async () => {
    const { client } = await setup();
    const refused = await client().post(`${BASE}note`, { note: 'z'.repeat(50_000) });
    assert.equal(refused.response.status, 422);
    assert.ok(refused.text.includes(`>${'z'.repeat(1_000)}…</textarea>`), 'an excerpt is kept in the form');
    assert.ok(refused.text.length < 20_000, 'the page does not carry the post back');
  });

  it("round-trips the seed's SQL as a note, and the table is still there", async () => {
    const { client } = await setup();
    const browser = client();
    const note = "x'); DROP TABLE session_data;-- O'Brien";
    await browser.post(`${BASE}note`, { note });
    const page = await browser.get(BASE);
    assert.ok(page.text.includes('x&#39;); DROP TABLE session_data;-- O&#39;Brien</q>'));
    assert.match(ownRow(page.text) ?? '', /DROP TABLE/, 'the row is in the table, which still exists');
    const inspected = JSON.parse((await browser.get(`${BASE}_inspect`)).text) as { data: { note: string } };
    assert.equal(inspected.data.note, note);
  });

  it('answers 404 and 405 for other paths and methods', async () => {
    const browser = (await setup()).client();
    assert.equal((await browser.get(`${BASE}nope`)).response.status, 404);
    assert.equal((await browser.get(`${BASE}note`)).response.status, 405);
  });
});

describe('db-store with the hidden-field transport', () => {
  after(closeAll);

  it('keeps the session across form POSTs and loses it on a plain link', async () => {
    const { client } = await setup({ transport: 'hidden-field' });
    const browser = client();
    const first = await browser.get(BASE);
    const id = new RegExp(`<input type="hidden" name="${ID_PARAM}" value="([^"]+)">`).exec(first.text)?.[1];
    assert.ok(id, 'the note form carries the id');
    const second = await browser.post(`${BASE}note`, { note: 'kept', [ID_PARAM]: id });
    assert.equal(counter(second.text), 2);
    const third = await browser.post(`${BASE}note`, { note: 'still kept', [ID_PARAM]: id });
    assert.equal(counter(third.text), 3);
    assert.match(third.text, /Your note: <q[^>]*>still kept<\/q>/);
    const link = /<a href="([^"]*)">Visit again<\/a>/.exec(third.text)?.[1];
    assert.equal(link, BASE, 'the link carries nothing');
    const lost = await browser.get(link);
    assert.equal(counter(lost.text), 1, 'a plain link starts a new session');
    assert.match(lost.text, /You have no note yet\./);
    assert.equal(browser.jar.values.size, 0);
  });
});

describe('db-store on other stores', () => {
  after(closeAll);

  it('says the table view needs a database store on ram', async () => {
    const { client } = await setup({ storageType: 'ram' }, ramStore({ maxSessions: 10 }));
    const page = await client().get(BASE);
    assert.equal(page.response.status, 200);
    assert.equal(counter(page.text), 1);
    assert.match(
      page.text,
      /The table view needs a database store\. This page runs on the <code>ram<\/code> store/,
    );
  });

  it('reads the table of the built-in sqlite store, where the session really lives', async () => {
    const path = join(dir, 'builtin.sqlite');
    const store = sqliteStore({ path, lockTimeoutSeconds: 5 });
    closers.push(async () => store.close?.());
    const { client } = await setup({ storageType: 'sqlite', databaseUrl: path }, store);
    const browser = client();
    await browser.get(BASE);
    const page = await browser.get(BASE);
    assert.ok(page.text.includes(`table session_data in ${path}`));
    assert.match(ownRow(page.text) ?? '', /\{&quot;counter&quot;:1\}/);
  });

  it('says so when the sqlite file does not exist yet', async () => {
    const path = join(dir, 'missing', 'none.sqlite');
    const { client } = await setup(
      { storageType: 'sqlite', databaseUrl: path },
      ramStore({ maxSessions: 10 }),
    );
    const page = await client().get(BASE);
    assert.equal(page.response.status, 200);
    assert.match(page.text, /The table cannot be shown right now: .*does not exist yet/);
  });

  for (const [kind, url] of [
    ['postgres', 'postgres://postgres@127.0.0.1:1/test'],
    ['mysql', 'mysql://root@127.0.0.1:1/test'],
  ] as const) {
    it(`shows a clear message, not a 500, when ${kind} is down`, async () => {
      const { client } = await setup({ storageType: kind, databaseUrl: url }, ramStore({ maxSessions: 10 }));
      const page = await client().get(BASE);
      assert.equal(page.response.status, 200);
      assert.equal(counter(page.text), 1, 'the rest of the page still works');
      assert.match(
        page.text,
        new RegExp(`The table cannot be shown right now: \\[session-lab\\] \\[${kind}\\]`),
      );
      assert.ok(page.text.includes(`table session_data in ${url}`));
      assert.match(page.text, /Start the server or set SESSION_LAB_/);
    });

    it(`names no URL, user or address on a public site (showLocations = false) when ${kind} is down`, async () => {
      const { client } = await setup(
        { storageType: kind, databaseUrl: url, showLocations: false },
        ramStore({ maxSessions: 10 }),
      );
      const page = await client().get(BASE);
      assert.equal(page.response.status, 200);
      const label = kind === 'postgres' ? 'PostgreSQL' : 'MySQL';
      assert.ok(
        page.text.includes(`could not read table session_data (${label}): the database did not answer`),
        page.text,
      );
      assert.doesNotMatch(page.text, new RegExp(`${kind}://|${new URL(url).username}@|127\\.0\\.0\\.1`));
    });
  }

  it('names no path on a public site (showLocations = false), and still shows your row', async () => {
    const { config, client } = await setup({ showLocations: false });
    const browser = client();
    await browser.get(BASE);
    const page = await browser.get(BASE);
    assert.ok(page.text.includes('Read live from table session_data in the SQLite file,'));
    assert.ok(!page.text.includes(config.databaseUrl ?? '?') && !page.text.includes(dir));
    assert.match(ownRow(page.text) ?? '', /\{&quot;counter&quot;:1\}/);
  });
});

// Each server test owns a schema (postgres) or database (mysql) of its own, so it never touches the
// built-in stores' `session_data` in the shared `test` database.
const ROW = { id: 'a'.repeat(43), data: '{"counter":7,"note":"<from the server>"}' };

describe('db-store reading postgres', { skip: await skipUnless('postgres') }, () => {
  after(closeAll);

  it("lists the rows of session_data (a JSONB column too) and the built-in store's own row", async () => {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: locationFor('postgres') });
    await admin.connect();
    try {
      await admin.query('DROP SCHEMA IF EXISTS lesson08_reader CASCADE');
      await admin.query('CREATE SCHEMA lesson08_reader');
      await admin.query(
        'CREATE TABLE lesson08_reader.session_data (id_hash TEXT PRIMARY KEY, data JSONB NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)',
      );
      await admin.query('INSERT INTO lesson08_reader.session_data VALUES ($1, $2, $3, $4)', [
        ROW.id,
        ROW.data,
        Date.now(),
        Date.now() + 60_000,
      ]);
      const url = new URL(locationFor('postgres'));
      url.searchParams.set('options', '-c search_path=lesson08_reader');
      const { client } = await setup(
        { storageType: 'postgres', databaseUrl: url.toString() },
        ramStore({ maxSessions: 10 }),
      );
      const page = await client().get(BASE);
      assert.match(page.text, /<code>aaaaaaaaaa…<\/code>/);
      assert.match(otherRows(page.text)[0] ?? '', /<td>40 bytes<\/td>/, 'the size of the JSON, as read');
      assert.match(page.text, /in 60 s|in 59 s/);
      assert.doesNotMatch(page.text, /from the server/, "another visitor's data is not shown");

      // The built-in store on the same schema, with the table it makes itself: the page shows the
      // visitor's own row.
      await admin.query('DROP TABLE lesson08_reader.session_data');
      const store = postgresStore({ url: url.toString(), lockTimeoutSeconds: 5 });
      closers.push(async () => store.close?.());
      const real = await setup({ storageType: 'postgres', databaseUrl: url.toString() }, store);
      const browser = real.client();
      await browser.get(BASE);
      assert.match(ownRow((await browser.get(BASE)).text) ?? '', /\{&quot;counter&quot;:1\}/);
    } finally {
      await closeAll();
      await admin.query('DROP SCHEMA IF EXISTS lesson08_reader CASCADE');
      await admin.end();
    }
  });
});

describe('db-store reading mysql', { skip: await skipUnless('mysql') }, () => {
  after(closeAll);

  it("lists the rows of session_data (a JSON column too) and the built-in store's own row", async () => {
    const mysql = await import('mysql2/promise');
    const admin = await mysql.createConnection({ uri: locationFor('mysql') });
    try {
      await admin.query('DROP DATABASE IF EXISTS lesson08_reader');
      await admin.query('CREATE DATABASE lesson08_reader');
      await admin.query(
        'CREATE TABLE lesson08_reader.session_data (id_hash VARCHAR(64) PRIMARY KEY, data JSON NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)',
      );
      await admin.execute('INSERT INTO lesson08_reader.session_data VALUES (?, ?, ?, ?)', [
        ROW.id,
        ROW.data,
        Date.now(),
        Date.now() + 60_000,
      ]);
      const url = new URL(locationFor('mysql'));
      url.pathname = '/lesson08_reader';
      const { client } = await setup(
        { storageType: 'mysql', databaseUrl: url.toString() },
        ramStore({ maxSessions: 10 }),
      );
      const page = await client().get(BASE);
      assert.match(page.text, /<code>aaaaaaaaaa…<\/code>/);
      assert.match(otherRows(page.text)[0] ?? '', /<td>40 bytes<\/td>/, 'the size of the JSON, as read');
      assert.doesNotMatch(page.text, /from the server/, "another visitor's data is not shown");

      await admin.query('DROP TABLE lesson08_reader.session_data');
      const store = mysqlStore({ url: url.toString(), lockTimeoutSeconds: 5 });
      closers.push(async () => store.close?.());
      const real = await setup({ storageType: 'mysql', databaseUrl: url.toString() }, store);
      const browser = real.client();
      await browser.get(BASE);
      assert.match(ownRow((await browser.get(BASE)).text) ?? '', /\{&quot;counter&quot;:1\}/);
    } finally {
      await closeAll();
      await admin.query('DROP DATABASE IF EXISTS lesson08_reader');
      await admin.end();
    }
  });
});

// Issue 11 §5: the table is shared by every visitor of the demo. One visitor's name must never reach
// another's page; each still sees their own row in full. Run on every backend the demo offers, each on a
// table of its own.
const SECRET = 'Alice SecretSurname';
const skip = { postgres: await skipUnless('postgres'), mysql: await skipUnless('mysql') };

async function twoVisitors(client: () => TestClient) {
  const alice = client();
  await alice.get(BASE);
  await alice.post(`${BASE}note`, { note: SECRET });
  const bob = client();
  await bob.get(BASE);
  const bobs = (await bob.get(BASE)).text;
  assert.ok(!bobs.includes('SecretSurname'), "B's page never contains A's data");
  assert.match(ownRow(bobs) ?? '', /<strong>yours:<\/strong>[\s\S]*\{&quot;counter&quot;:1\}/);
  const [alicesRow, ...more] = otherRows(bobs);
  assert.equal(more.length, 0, 'one other row: A');
  assert.match(alicesRow ?? '', /<code>[A-Za-z0-9_-]{10}…<\/code>/, 'the key prefix');
  assert.match(alicesRow ?? '', /<td>\d+ bytes<\/td>/, 'the size');
  assert.match(alicesRow ?? '', /<td>in 3[56]\d\d s<\/td>/, 'the expiry');
  assert.doesNotMatch(alicesRow ?? '', /&quot;|counter/, 'no data');

  const alices = (await alice.get(BASE)).text;
  assert.ok(ownRow(alices)?.includes(`&quot;note&quot;:&quot;${SECRET}&quot;`), "A's own row in full");
  assert.equal(otherRows(alices).length, 1, 'B, as a row');
  assert.doesNotMatch(otherRows(alices)[0] ?? '', /&quot;|counter/, "B's data is not shown to A");
}

describe("two visitors: each sees their own row in full and never the other's data", () => {
  after(closeAll);

  it('on the custom functions (SQLite)', async () => {
    await twoVisitors((await setup()).client);
  });

  it('on the built-in sqlite store', async () => {
    const path = join(dir, 'two-visitors.sqlite');
    const store = sqliteStore({ path, lockTimeoutSeconds: 5 });
    closers.push(async () => store.close?.());
    await twoVisitors((await setup({ storageType: 'sqlite', databaseUrl: path }, store)).client);
  });

  it('on postgres', { skip: skip.postgres }, async () => {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: locationFor('postgres') });
    await admin.connect();
    const schema = freshTable();
    try {
      // Identifiers cannot be placeholders: the name is quoted as one (pg's escapeIdentifier).
      await admin.query('CREATE SCHEMA '.concat(pg.escapeIdentifier(schema)));
      const url = new URL(locationFor('postgres'));
      url.searchParams.set('options', `-c search_path=${schema}`);
      const store = postgresStore({ url: url.toString(), lockTimeoutSeconds: 5 });
      closers.push(async () => store.close?.());
      await twoVisitors(
        (await setup({ storageType: 'postgres', databaseUrl: url.toString() }, store)).client,
      );
    } finally {
      await closeAll();
      await admin.query('DROP SCHEMA IF EXISTS '.concat(pg.escapeIdentifier(schema), ' CASCADE'));
      await admin.end();
    }
  });

  it('on mysql', { skip: skip.mysql }, async () => {
    const mysql = await import('mysql2/promise');
    const admin = await mysql.createConnection({ uri: locationFor('mysql') });
    const database = freshTable();
    try {
      await admin.query('CREATE DATABASE ??', [database]);
      const url = new URL(locationFor('mysql'));
      url.pathname = `/${database}`;
      const store = mysqlStore({ url: url.toString(), lockTimeoutSeconds: 5 });
      closers.push(async () => store.close?.());
      await twoVisitors((await setup({ storageType: 'mysql', databaseUrl: url.toString() }, store)).client);
    } finally {
      await closeAll();
      await admin.query('DROP DATABASE IF EXISTS ??', [database]);
      await admin.end();
    }
  });
});
