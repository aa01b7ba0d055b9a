// The seed's flaws, live (seed-flaws.ts): each flaw succeeds on the seed-faithful side and fails on the
// fixed one; two visitors never reach each other's scratch databases; the scratch state stays bounded.
// Run as a public site would (showLocations off, 4 KB sessions), through the engine like a browser.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { defineConfig } from '../../sandbox/engine/config.ts';
import { Engine } from '../../sandbox/engine/engine.ts';
import { ramStore } from '../../sandbox/stores/ram.ts';
import { TestClient } from '../../sandbox/testing/client.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { race } from './race.ts';
import { MAX_ROWS, MAX_SCRATCHES, OWN_ID, RECENT_MS, Scratch, ScratchRoom } from './scratch.ts';
import { GADGET_PAYLOAD, SQL_PAYLOAD, seedFlawsApp } from './seed-flaws.ts';
import { checkStatement, FenceError } from './sql-fence.ts';

const BASE = '/seed-flaws/';
const rooms: ScratchRoom[] = [];
after(() => {
  for (const room of rooms) room.close();
});

function setup(limit?: number, now?: () => number) {
  const room = new ScratchRoom(limit, now);
  rooms.push(room);
  const config = defineConfig({ storageType: 'ram', showLocations: false, maxSessionBytes: 4096 });
  const engine = new Engine(config, ramStore(config), createTransport(config));
  const app = seedFlawsApp(room);
  const client = () => new TestClient((request) => engine.handle(request, app, BASE));
  return { room, client };
}

const output = (text: string, id: string) =>
  new RegExp(`<output id="${id}">([^<]*)</output>`).exec(text)?.[1];
const adminHash = (text: string) =>
  /<tr><td>admin<\/td><td><code>([^<]+)<\/code><\/td><\/tr>/.exec(text)?.[1];
const fromHtml = (text: string) =>
  text
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

describe('flaw 1: SQL by string formatting', () => {
  it('the ready-made value reads the accounts table into your note; the fixed side stores it as text', async () => {
    const { client } = setup();
    const browser = client();
    const page = await browser.post(`${BASE}sql`, { value: SQL_PAYLOAD });
    assert.equal(page.response.status, 200);
    const hash = adminHash(page.text);
    assert.match(hash ?? '', /^scrypt\$[0-9a-f]{16}\$[0-9a-f]{32}$/);
    assert.equal(output(page.text, 'seed-note'), `x${hash}`, 'the faithful note holds the admin hash');
    assert.equal(
      fromHtml(output(page.text, 'fixed-note') ?? ''),
      SQL_PAYLOAD,
      'the fixed note is the value typed',
    );
    assert.ok(
      page.text.includes('&#39; || (select password_hash'),
      'the fixed table holds the value as text',
    );
  });

  it('a harmless value is the same on both sides; a lone quote breaks only the faithful statement', async () => {
    const { client } = setup();
    const browser = client();
    const plain = await browser.post(`${BASE}sql`, { value: 'plain note' });
    assert.equal(output(plain.text, 'seed-note'), 'plain note');
    assert.equal(output(plain.text, 'fixed-note'), 'plain note');
    const quote = await browser.post(`${BASE}sql`, { value: "O'Brien" });
    // The quote ends the SQL string early: `Brien"}'` is left over as SQL, which the fence refuses.
    assert.match(quote.text, /fence refused the statement \(“Brien”/);
    assert.equal(output(quote.text, 'seed-note'), undefined);
    assert.equal(fromHtml(output(quote.text, 'fixed-note') ?? ''), "O'Brien");
  });

  it('user text is escaped on the page', async () => {
    const { client } = setup();
    const page = await client().post(`${BASE}sql`, { value: '<script>alert(1)</script>' });
    assert.ok(!page.text.includes('<script>alert'));
    assert.ok(page.text.includes('&lt;script&gt;alert(1)'));
  });
});

describe('flaw 2: a format that builds whatever type the data names', () => {
  it('the gadget wipes your scratch table on the faithful side; JSON.parse builds plain data', async () => {
    const { client } = setup();
    const page = await client().post(`${BASE}pickle`, { stored: GADGET_PAYLOAD });
    assert.equal(output(page.text, 'seed-rows-before'), '3');
    assert.equal(output(page.text, 'seed-rows-after'), '0');
    assert.equal(output(page.text, 'fixed-rows-before'), '3');
    assert.equal(output(page.text, 'fixed-rows-after'), '3');
    assert.match(
      page.text,
      /<code id="fixed-parsed">\{&quot;\$type&quot;:&quot;Session&quot;,&quot;note&quot;:\{&quot;\$type&quot;:&quot;Wipe&quot;\}\}<\/code>/,
    );
  });

  it('a type nobody registered is refused, and nothing else is ever reached', async () => {
    const { client } = setup();
    const page = await client().post(`${BASE}pickle`, { stored: '{"$type":"process","note":1}' });
    assert.match(page.text, /names a type nobody registered: process/);
    assert.equal(output(page.text, 'seed-rows-after'), '3');
  });
});

describe('flaw 3: delete, then insert', () => {
  it('readers between the two statements find no session; the upsert never leaves one missing', async () => {
    const { client } = setup();
    const page = await client().post(`${BASE}race`, {});
    assert.ok(Number(output(page.text, 'seed-missing')) > 0, 'the faithful save leaves gaps');
    assert.equal(output(page.text, 'fixed-missing'), '0');
  });

  it('the same race on the functions themselves', async () => {
    const scratch = new Scratch();
    try {
      const seed = await race(
        { save: scratch.seed.saveSessionData, load: scratch.seed.loadSessionData },
        OWN_ID,
      );
      assert.ok(seed.missing > 0);
      assert.equal(seed.loads, 60);
    } finally {
      scratch.close();
    }
  });
});

describe('confinement (public mode)', () => {
  it("one visitor's injection or wipe never reaches another visitor's scratch database", async () => {
    const { client } = setup();
    const attacker = client();
    const victim = client();
    const victimFirst = await victim.post(`${BASE}sql`, { value: 'mine' });
    const victimHash = adminHash(victimFirst.text);
    const attack = await attacker.post(`${BASE}sql`, { value: SQL_PAYLOAD });
    const attackerHash = adminHash(attack.text);
    assert.notEqual(attackerHash, victimHash, 'each visitor has accounts of their own');
    assert.ok(
      !attack.text.includes(victimHash ?? 'none'),
      "the attacker's page never shows the victim's hash",
    );
    await attacker.post(`${BASE}pickle`, { stored: GADGET_PAYLOAD });
    const victimAfter = await victim.get(BASE);
    assert.match(victimAfter.text, /session_data<\/code>: 3 row\(s\)/, "the victim's table is untouched");
    assert.equal(adminHash(victimAfter.text), victimHash);
    assert.match(
      victimAfter.text,
      /\{&quot;\$type&quot;:&quot;Session&quot;,&quot;note&quot;:&quot;mine&quot;\}/,
    );
  });

  it('a scratch key the client sends is never adopted: a session without one gets a fresh database', async () => {
    const { client, room } = setup();
    const browser = client();
    await browser.post(`${BASE}pickle`, { stored: GADGET_PAYLOAD });
    const stranger = client();
    const page = await stranger.get(`${BASE}?scratch=anything`, { cookie: 'scratch=anything' });
    assert.match(page.text, /session_data<\/code>: 3 row\(s\)/);
    assert.equal(room.size, 2);
  });

  it('at most MAX_SCRATCHES: a newcomer waits (503) while all are in recent use, then the least recently used makes room', async () => {
    let now = 0;
    const { client, room } = setup(3, () => now);
    const first = client();
    await first.post(`${BASE}pickle`, { stored: GADGET_PAYLOAD });
    await client().get(BASE);
    await client().get(BASE);
    now = RECENT_MS - 60_000;
    const late = client();
    const refused = await late.get(BASE);
    assert.equal(refused.response.status, 503);
    assert.equal(refused.response.headers.get('retry-after'), '60');
    assert.match(refused.text, /Every scratch database is in use/);
    assert.equal(room.size, 3);
    assert.match((await first.get(BASE)).text, /session_data<\/code>: 0 row\(s\)/, 'the first kept theirs');

    now = RECENT_MS + 1;
    const admitted = await late.get(BASE);
    assert.equal(admitted.response.status, 200);
    assert.equal(room.size, 3);
    // The first visitor used theirs most recently, so one of the other two made room.
    assert.match((await first.get(BASE)).text, /session_data<\/code>: 0 row\(s\)/);
    assert.ok(MAX_SCRATCHES >= 3);
  });

  it('a value that adds rows past the bound resets the scratch database', async () => {
    const { client } = setup();
    const rows = Array.from({ length: MAX_ROWS }, (_, i) => `('r${i}','x')`).join(',');
    const page = await client().post(`${BASE}sql`, { value: `a'), ${rows} --` });
    assert.match(page.text, /passed its bound/);
    assert.match(page.text, /session_data<\/code>: 3 row\(s\)/);
  });

  it('a value that grows a row past the page bound fails with "full", and the page still answers', async () => {
    const { client } = setup();
    const browser = client();
    // Each save adds a row four times as long as the one before (the table has no key, so rows pile up).
    const grow = (from: number) =>
      `x'), ('b${from + 1}', (select sessionData || sessionData || sessionData || sessionData from session_data where sessionId='b${from}')) --`;
    await browser.post(`${BASE}sql`, { value: `x'), ('b0', '${'a'.repeat(200)}') --` });
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push((await browser.post(`${BASE}sql`, { value: grow(i) })).text);
    assert.doesNotMatch(answers[0] ?? '', /disk is full/, 'the first saves fit');
    assert.match(answers.at(-1) ?? '', /The faithful functions failed: <code>database or disk is full/);
  });

  it('the reset button gives a fresh database', async () => {
    const { client } = setup();
    const browser = client();
    await browser.post(`${BASE}pickle`, { stored: GADGET_PAYLOAD });
    const reset = await browser.post(`${BASE}reset`, {});
    assert.match(reset.text, /was reset/);
    assert.match(reset.text, /session_data<\/code>: 3 row\(s\)/);
  });
});

describe('the fence around the faithful SQL', () => {
  const refused = [
    "select sessionData from session_data where sessionId='' || (with recursive c(x) as (select 1) select x from c)",
    "insert into session_data values('you', zeroblob(1000000000))",
    "insert into session_data values('you', '' || (select name from sqlite_master))",
    'select * from session_data, session_data, session_data, accounts',
    'select sessionData from session_data order by sessionData',
    'select sessionData from session_data union select name from accounts',
    "select sessionData from session_data where sessionId='it''s' or 'x",
    "insert into session_data values('you', X'00')",
    'select "sessionData" from session_data',
  ];
  for (const sql of refused) {
    it(`refuses: ${sql.slice(0, 70)}`, () => assert.throws(() => checkStatement(sql), FenceError));
  }
  it("lets the seed's statements and the ready-made injection through", () => {
    checkStatement("delete from session_data where sessionId='you'");
    checkStatement(`insert into session_data values('you', '{"note":"${SQL_PAYLOAD}"}')`);
    checkStatement("select sessionData from session_data where sessionId='you' -- the rest");
  });
});
