// The engine's acceptance cases (issue 2 §4) again, through the site's demo routes: the lab router on a
// real socket, real demo processes, real stores. Runs in a scratch directory, so the demo stores'
// .data/ is this test's own and "nothing outside storageFileDir" can be checked by listing it.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClient } from '../sandbox/testing/client.ts';
import { skipUnless } from '../sandbox/testing/servers.ts';
import { createLab } from './lab-server.ts';

const scratch = mkdtempSync(join(tmpdir(), 'session-lab-acceptance-'));
process.chdir(scratch);
const lab = createLab({});
const server = createServer((req, res) => {
  if (!lab.router(req, res)) res.writeHead(404).end();
});
let origin = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.close();
  await lab.manager.stopAll();
  rmSync(scratch, { recursive: true, force: true });
});

/** A browser stand-in that talks to the site over HTTP and keeps its cookies. */
const browser = () => new TestClient((request) => fetch(request, { redirect: 'manual' }), origin);
const countOf = (page: string) => Number(/<output id="count">(\d+)<\/output>/.exec(page)?.[1]);
const COOKIE = 'session_lab_id';

/** A raw request, for header bytes that fetch refuses to send (NUL, non-Latin-1). */
function rawGet(path: string, cookieBytes: Buffer): Promise<{ status: number; head: string; body: string }> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
    socket.write(
      Buffer.concat([
        Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nCookie: `),
        cookieBytes,
        Buffer.from('\r\n\r\n'),
      ]),
    );
  });
}

const STORES = [
  { store: 'ram', skip: false as const },
  { store: 'file', skip: false as const },
  { store: 'cookie', skip: false as const },
  { store: 'sqlite', skip: false as const },
  { store: 'postgres', skip: await skipUnless('postgres') },
  { store: 'mysql', skip: await skipUnless('mysql') },
  { store: 'redis', skip: await skipUnless('redis') },
];

describe('the counter demo on every store, through /lab/', () => {
  for (const { store, skip } of STORES) {
    it(`counts 1 → 2 → 3 on ${store}, and a second visitor starts at 1`, { skip }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const reader = browser();
      for (const expected of [1, 2, 3]) {
        const { response, text } = await reader.get(base);
        assert.equal(response.status, 200);
        assert.equal(countOf(text), expected);
      }
      assert.equal(countOf((await browser().get(base)).text), 1);
      const inspected = JSON.parse((await reader.get(`${base}_inspect`)).text);
      assert.deepEqual(inspected.data, { pageViews: 3 });
    });
  }
});

describe('hostile cookies on the file demo get a fresh session or a 4xx, never a 5xx', () => {
  const base = '/lab/counter/file/std/';
  const cases: [string, string][] = [
    ['a well-formed id the server never issued', `${COOKIE}=${'A'.repeat(43)}`],
    ['a path', `${COOKIE}=../../../etc/passwd`],
    ['an encoded path', `${COOKIE}=..%2F..%2Fetc%2Fpasswd`],
    ['10 KB of id', `${COOKIE}=${'x'.repeat(10_240)}`],
    ['duplicated names, junk first', `${COOKIE}=junk; ${COOKIE}=${'B'.repeat(43)}`],
    ['SQL', `${COOKIE}=' OR 1=1 --`],
  ];
  for (const [what, cookie] of cases) {
    it(what, async () => {
      const { response, text } = await browser().get(base, { cookie });
      assert.ok(response.status < 500, `HTTP ${response.status}`);
      if (response.status === 200) assert.equal(countOf(text), 1);
    });
  }

  it('a truncated cookie of a real session starts afresh', async () => {
    const reader = browser();
    await reader.get(base);
    const id = reader.jar.get(COOKIE) ?? '';
    const { text } = await browser().get(base, { cookie: `${COOKIE}=${id.slice(0, -1)}` });
    assert.equal(countOf(text), 1);
  });

  it('NUL and non-Latin-1 bytes in the cookie', async () => {
    for (const bytes of [
      Buffer.from(`${COOKIE}=abc\0def`, 'latin1'),
      Buffer.from(`${COOKIE}=ünïcødé-${'é'.repeat(30)}`, 'utf8'),
    ]) {
      const { status, body } = await rawGet(base, bytes);
      assert.ok(status > 0 && status < 500, `HTTP ${status}`);
      if (status === 200) assert.equal(countOf(body), 1);
    }
  });

  it('left nothing but session records, in the file store directory only', () => {
    const data = join(scratch, '.data');
    const outside = readdirSync(data).filter(
      (name) => !['sessions', 'sessions.sqlite', 'cookie-secret'].includes(name),
    );
    assert.deepEqual(
      outside.filter((name) => !name.startsWith('sessions.sqlite')),
      [],
    );
    for (const name of readdirSync(join(data, 'sessions')))
      assert.match(name, /^\.?[A-Za-z0-9_-]{43}(\.json|\.lock|\.[^/]*\.tmp)$/);
    assert.deepEqual(readdirSync(scratch), ['.data']);
  });
});

describe('the cookie store demo', () => {
  it('refuses a tampered data cookie and starts a fresh session', async () => {
    const base = '/lab/counter/cookie/std/';
    const reader = browser();
    await reader.get(base);
    await reader.get(base);
    const data = reader.jar.get(`${COOKIE}_data`) ?? '';
    assert.ok(data.length > 20);
    const flipped = `${data.slice(0, 30)}${data[30] === 'A' ? 'B' : 'A'}${data.slice(31)}`;
    const cookie = `${COOKIE}=${reader.jar.get(COOKIE)}; ${COOKIE}_data=${flipped}`;
    const { response, text } = await browser().get(base, { cookie });
    assert.equal(response.status, 200);
    assert.equal(countOf(text), 1);
  });
});

describe('the name form on SQLite, with markup and SQL as a name', () => {
  it('stores the text exactly and shows it escaped', async () => {
    const base = '/lab/name-form/sqlite/std/';
    const reader = browser();
    await reader.get(base);
    const firstName = `<script>alert(1)</script>`;
    const lastName = `Robert'); DROP TABLE session_data;--`;
    const saved = await reader.post(`${base}save`, { firstName, lastName });
    assert.equal(saved.response.status, 303);
    const page3 = await reader.get(`${base}page3`);
    assert.ok(page3.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!page3.text.includes('<script>alert(1)'));
    const inspected = JSON.parse((await reader.get(`${base}_inspect`)).text);
    assert.equal(inspected.data.firstName, firstName);
    assert.equal(inspected.data.lastName, lastName);
    // The table is still there: the next visitor's session is stored as usual.
    assert.equal(countOf((await browser().get('/lab/counter/sqlite/std/')).text), 1);
  });
});

describe('one visitor, five tabs, 30 clicks each, all at once (150 requests on one cookie)', () => {
  const shared = STORES.filter(({ store }) => ['file', 'sqlite', 'redis', 'postgres'].includes(store));
  for (const { store, skip } of shared) {
    it(`end at exactly 150 on ${store} with locking on`, { skip }, async () => {
      const base = `/lab/counter/${store}/std/`;
      const reader = browser();
      await reader.get(base);
      const cookie = `${COOKIE}=${reader.jar.get(COOKIE)}`;
      await Promise.all(
        Array.from({ length: 150 }, () =>
          fetch(`${origin}${base}`, { headers: { cookie } }).then((r) => r.text()),
        ),
      );
      const inspected = JSON.parse((await reader.get(`${base}_inspect`)).text);
      assert.equal(inspected.data.pageViews, 151);
    });
  }

  it('lose updates on the slow counter with locking off (nolock)', async () => {
    const base = '/lab/slow-counter/file/nolock/';
    const reader = browser();
    await reader.get(base);
    const cookie = `${COOKIE}=${reader.jar.get(COOKIE)}`;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        fetch(`${origin}${base}`, { headers: { cookie } }).then((r) => r.text()),
      ),
    );
    const inspected = JSON.parse((await reader.get(`${base}_inspect`)).text);
    assert.ok(
      inspected.data.pageViews < 31,
      `expected lost updates, counted ${inspected.data.pageViews} of 31`,
    );
  });
});

describe('a demo worker killed with kill -9 (through /lab-api/control)', () => {
  it('keeps every acknowledged increment on the file store, and answers again', async () => {
    const base = '/lab/counter/file/std/';
    const reader = browser();
    for (let i = 0; i < 5; i++) await reader.get(base);
    const control = await fetch(`${origin}/lab-api/control`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ variant: 'counter/file/std', action: 'kill' }),
    });
    assert.equal(control.status, 200);
    let text = '';
    for (let waited = 0; waited < 15_000; waited += 100) {
      const answer = await reader.get(base);
      if (answer.response.status === 200) {
        text = answer.text;
        break;
      }
      assert.match(answer.text, /role="alert"/);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(countOf(text), 6);
  });
});
