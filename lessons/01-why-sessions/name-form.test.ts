import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineConfig, type SessionConfig } from '../../sandbox/engine/config.ts';
import { Engine } from '../../sandbox/engine/engine.ts';
import { Inspector } from '../../sandbox/inspector/inspector.ts';
import { ramStore } from '../../sandbox/stores/ram.ts';
import { TestClient } from '../../sandbox/testing/client.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { nameFormApp } from './name-form.ts';

const BASE = '/name-form/';
const ID_PARAM = 'session_lab_id';
const ADA = { firstName: 'Ada', lastName: 'Lovelace' };
const DONT_KNOW = "I don't know your name";

function setup(overrides: Partial<SessionConfig> = {}) {
  const config = defineConfig(overrides);
  const inspector = new Inspector(config, ramStore({ maxSessions: 100 }), createTransport(config));
  const handler = (request: Request) => inspector.handle(request, nameFormApp, BASE);
  return { engine: inspector.engine, client: () => new TestClient(handler) };
}

/** The href of the link with this text, as a browser would follow it (`&amp;` decoded). */
function linkTo(page: string, text: string): string {
  const match = new RegExp(`<a href="([^"]*)">${text}</a>`).exec(page);
  assert.ok(match, `no link "${text}" in the page`);
  return (match[1] ?? '').replaceAll('&amp;', '&');
}

/** The session data the store holds for this client, through the engine's own inspector. */
async function storedData(client: TestClient, query = '') {
  const { text } = await client.get(`${BASE}_inspect${query}`);
  return (JSON.parse(text) as { data: Record<string, unknown> | null }).data;
}

describe('name-form with the cookie transport', () => {
  it('asks on page 1, greets on page 2 and still knows you on page 3', async () => {
    const client = setup().client();
    const first = await client.get(BASE);
    assert.equal(first.response.status, 200);
    assert.match(first.text, /<main>/);
    assert.match(first.text, /<label for="firstName">First name<\/label>/);
    assert.match(first.text, /<input id="firstName" name="firstName"[^>]*autocomplete="given-name"/);
    assert.match(first.text, /<input id="lastName" name="lastName"[^>]*autocomplete="family-name"/);
    assert.match(first.text, new RegExp(`<form method="post" action="${BASE}save">`));
    assert.equal(first.setCookie.length, 0, 'showing the form creates no session');

    const saved = await client.post(`${BASE}save`, ADA);
    assert.equal(saved.response.status, 303);
    assert.equal(saved.response.headers.get('location'), `${BASE}page2`);
    assert.equal(client.jar.values.size, 1, 'the save set the session cookie');

    const two = await client.get(`${BASE}page2`);
    assert.match(two.text, /<h1>Hello Ada Lovelace<\/h1>/);
    const three = await client.get(linkTo(two.text, 'Go to page 3'));
    assert.match(
      three.text,
      /Still here, Ada\? The server has not forgotten that your last name is Lovelace\./,
    );

    const again = await client.get(BASE);
    assert.match(again.text, /already knows you as <strong>Ada Lovelace<\/strong>/);
    assert.match(again.text, /value="Ada"/);
  });

  it("keeps one visitor's name away from another", async () => {
    const { client } = setup();
    const ada = client();
    const grace = client();
    await ada.post(`${BASE}save`, ADA);
    await grace.post(`${BASE}save`, { firstName: 'Grace', lastName: 'Hopper' });
    assert.match((await ada.get(`${BASE}page2`)).text, /Hello Ada Lovelace/);
    assert.match((await grace.get(`${BASE}page2`)).text, /Hello Grace Hopper/);
    const stranger = client();
    const page = await stranger.get(`${BASE}page2`);
    assert.match(page.text, new RegExp(DONT_KNOW));
    assert.doesNotMatch(page.text, /Ada|Grace/);
  });

  it('changes the id when a known visitor saves again, and the old id stops working', async () => {
    const lab = setup();
    const client = lab.client();
    await client.post(`${BASE}save`, ADA);
    const before = client.jar.get(ID_PARAM) ?? '';
    const saved = await client.post(`${BASE}save`, { firstName: 'Grace', lastName: 'Hopper' });
    const after = client.jar.get(ID_PARAM) ?? '';
    assert.match(after, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(after, before);
    assert.equal(saved.setCookie.length, 1, 'the new id is sent');
    assert.match((await client.get(`${BASE}page2`)).text, /Hello Grace Hopper/);
    const old = await lab.client().get(`${BASE}page2`, { cookie: `${ID_PARAM}=${before}` });
    assert.match(old.text, new RegExp(DONT_KNOW));
  });

  it('trims the name before keeping it', async () => {
    const client = setup().client();
    await client.post(`${BASE}save`, { firstName: '  Ada ', lastName: '\tLovelace  ' });
    assert.deepEqual(await storedData(client), ADA);
  });
});

describe('when the name is not acceptable', () => {
  it('says which field is missing, keeps what was typed and stores nothing', async () => {
    const client = setup().client();
    const sent = await client.post(`${BASE}save`, { firstName: '   ', lastName: 'Lovelace' });
    assert.equal(sent.response.status, 422);
    assert.match(sent.text, /role="alert"/);
    assert.match(sent.text, /First name is required\./);
    assert.match(sent.text, /id="firstName"[^>]*aria-invalid="true" aria-describedby="firstName-error"/);
    assert.match(sent.text, /value="Lovelace"/, 'the typed last name is kept');
    assert.equal(sent.setCookie.length, 0);
    assert.equal(client.jar.values.size, 0, 'no session was created');
  });

  it('refuses a name over 100 characters and one with a line break', async () => {
    const client = setup().client();
    const long = await client.post(`${BASE}save`, { firstName: 'A'.repeat(101), lastName: 'B'.repeat(100) });
    assert.equal(long.response.status, 422);
    assert.match(long.text, /First name is 101 characters long; at most 100 fit\./);
    assert.doesNotMatch(long.text, /Last name is/, 'exactly 100 characters is fine');
    const broken = await client.post(`${BASE}save`, { firstName: 'Ada\nEvil', lastName: 'Lovelace' });
    assert.equal(broken.response.status, 422);
    assert.match(broken.text, /First name contains a control character/);
    assert.equal(client.jar.values.size, 0);
  });

  it('echoes at most 1 000 characters of an over-long name, escaped', async () => {
    const client = setup().client();
    const sent = await client.post(`${BASE}save`, { firstName: '<b>'.repeat(10_000), lastName: 'Lovelace' });
    assert.equal(sent.response.status, 422);
    assert.match(sent.text, /First name is 30000 characters long/);
    const shown = /id="firstName"[^>]*value="([^"]*)"/.exec(sent.text)?.[1] ?? '';
    assert.equal(shown, `${'&lt;b&gt;'.repeat(333)}&lt;…`, 'the first 1 000 characters, escaped');
    assert.ok(sent.text.length < 10_000, 'the page does not carry the post back');
  });

  it('treats a body that is not a form as empty fields', async () => {
    const client = setup().client();
    const sent = await client.send(`${BASE}save`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"firstName":"Ada"}',
    });
    assert.equal(sent.response.status, 422);
    assert.match(sent.text, /First name is required\./);
  });

  it('does not change a remembered name when the new one is bad', async () => {
    const client = setup().client();
    await client.post(`${BASE}save`, ADA);
    await client.post(`${BASE}save`, { firstName: '', lastName: 'Byron' });
    assert.deepEqual(await storedData(client), ADA);
  });
});

describe('when a name holds markup or SQL', () => {
  const hostile = {
    firstName: '<script>alert(1)</script>',
    lastName: "O'Brien'); DROP TABLE session_data;--",
  };

  it('stores it exactly and shows it escaped', async () => {
    const client = setup().client();
    await client.post(`${BASE}save`, hostile);
    assert.deepEqual(await storedData(client), hostile);
    for (const path of ['page2', 'page3', '']) {
      const { text } = await client.get(`${BASE}${path}`);
      assert.ok(text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `escaped markup on /${path}`);
      assert.ok(text.includes('O&#39;Brien&#39;); DROP TABLE session_data;--'), `escaped quotes on /${path}`);
      assert.ok(!text.includes('<script>'), `no live script on /${path}`);
    }
  });

  it('escapes it when the form comes back with an error', async () => {
    const client = setup().client();
    const sent = await client.post(`${BASE}save`, { firstName: hostile.firstName, lastName: '' });
    assert.equal(sent.response.status, 422);
    assert.ok(sent.text.includes('value="&lt;script&gt;alert(1)&lt;/script&gt;"'));
    assert.ok(!sent.text.includes('<script>'));
  });
});

describe('forget me', () => {
  it('destroys the session and sends you back to page 1', async () => {
    const client = setup().client();
    await client.post(`${BASE}save`, ADA);
    const cookie = client.jar.header();
    const page2 = await client.get(`${BASE}page2`);
    assert.match(
      page2.text,
      new RegExp(`<form method="post" action="${BASE}forget"><button type="submit">Forget me`),
    );
    const forgot = await client.post(`${BASE}forget`, {});
    assert.equal(forgot.response.status, 303);
    assert.equal(forgot.response.headers.get('location'), BASE);
    assert.equal(client.jar.values.size, 0, 'the cookie was cleared');
    assert.match((await client.get(`${BASE}page2`)).text, new RegExp(DONT_KNOW));
    // The record is gone from the store, not just the cookie from the browser.
    const replayed = await client.get(`${BASE}page2`, { cookie });
    assert.match(replayed.text, new RegExp(DONT_KNOW));
  });

  it('answers a GET on a form address with 405 instead of acting', async () => {
    const client = setup().client();
    await client.post(`${BASE}save`, ADA);
    const sent = await client.get(`${BASE}forget`);
    assert.equal(sent.response.status, 405);
    assert.equal(sent.response.headers.get('allow'), 'POST');
    assert.match((await client.get(`${BASE}page2`)).text, /Hello Ada Lovelace/);
    assert.equal((await client.get(`${BASE}nope`)).response.status, 404);
  });
});

describe('with the URL transport', () => {
  it('carries the session through the redirect and the rewritten link, with no cookie at all', async () => {
    const client = setup({ transport: 'url' }).client();
    const saved = await client.post(`${BASE}save`, ADA);
    assert.equal(saved.response.status, 303);
    const location = saved.response.headers.get('location') ?? '';
    assert.match(location, new RegExp(`^${BASE}page2\\?${ID_PARAM}=[A-Za-z0-9_-]{43}$`));

    const two = await client.get(location);
    assert.match(two.text, /Hello Ada Lovelace/);
    const toThree = linkTo(two.text, 'Go to page 3');
    assert.ok(toThree.includes(`${ID_PARAM}=`), 'the link carries the id');
    assert.match((await client.get(toThree)).text, /your last name is Lovelace/);

    // The same page without the id in the address knows nothing: the URL is all there is.
    assert.match((await client.get(`${BASE}page3`)).text, new RegExp(DONT_KNOW));
    assert.equal(client.jar.values.size, 0);
    assert.equal(saved.setCookie.length + two.setCookie.length, 0);
  });

  it("gives the session a new id at save, so a planted link no longer reads the victim's name (fixation)", async () => {
    const { client } = setup({ transport: 'url' });
    const attacker = client();
    const planted = location(await attacker.post(`${BASE}save`, { firstName: 'Mallory', lastName: 'M' }));
    const plantedId = new URL(planted, 'http://x').searchParams.get(ID_PARAM) ?? '';
    assert.match(plantedId, /^[A-Za-z0-9_-]{43}$/);

    // The victim opens the attacker's link and saves their own name through the page's form.
    const victim = client();
    const one = await victim.get(`${BASE}?${ID_PARAM}=${plantedId}`);
    const action = (/<form method="post" action="([^"]*)">/.exec(one.text)?.[1] ?? '').replaceAll(
      '&amp;',
      '&',
    );
    assert.ok(action.includes(plantedId), 'the form carries the planted id');
    const saved = await victim.post(action, ADA);
    const victimId = new URL(location(saved), 'http://x').searchParams.get(ID_PARAM) ?? '';
    assert.match(victimId, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(victimId, plantedId, 'the save gave the session a new id');
    assert.match((await victim.get(location(saved))).text, /Hello Ada Lovelace/);

    // The attacker's copy of the old id reads nothing: not the victim's name, not even their own.
    const peek = await attacker.get(`${BASE}page2?${ID_PARAM}=${plantedId}`);
    assert.doesNotMatch(peek.text, /Ada|Lovelace/);
    assert.match(peek.text, new RegExp(DONT_KNOW));
  });

  it('rewrites the forget form too, so the button still works', async () => {
    const client = setup({ transport: 'url' }).client();
    const saved = await client.post(`${BASE}save`, ADA);
    const two = await client.get(saved.response.headers.get('location') ?? '');
    const action = (/<form method="post" action="([^"]*forget[^"]*)">/.exec(two.text)?.[1] ?? '').replaceAll(
      '&amp;',
      '&',
    );
    assert.ok(action.includes(`${ID_PARAM}=`), 'the form action carries the id');
    const forgot = await client.post(action, {});
    assert.equal(forgot.response.headers.get('location'), BASE);
    assert.match((await client.get(location(saved))).text, new RegExp(DONT_KNOW));
  });
});

function location(sent: { response: Response }): string {
  return sent.response.headers.get('location') ?? '';
}

describe('with the hidden-field transport', () => {
  it("loses you at the save's redirect: a 303 carries no form, so page 2 does not know you", async () => {
    const client = setup({ transport: 'hidden-field' }).client();
    const saved = await client.post(`${BASE}save`, ADA);
    assert.equal(saved.response.status, 303);
    assert.equal(location(saved), `${BASE}page2`, 'nothing is added to the redirect');
    assert.equal(saved.setCookie.length, 0);
    assert.match((await client.get(location(saved))).text, new RegExp(DONT_KNOW));
  });

  it('takes the id from a posted form only: a link with the id in its query knows nobody', async () => {
    // A session made through the cookie transport on the same store, so its id is known.
    const { engine, client } = setup({ transport: 'hidden-field' });
    const cookieConfig = defineConfig();
    const cookieEngine = new Engine(cookieConfig, engine.store, createTransport(cookieConfig));
    const seeding = new TestClient((request) => cookieEngine.handle(request, nameFormApp, BASE));
    await seeding.post(`${BASE}save`, ADA);
    const id = seeding.jar.get('session_lab_id') ?? '';
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);

    const visitor = client();
    const linked = await visitor.get(`${BASE}page2?${ID_PARAM}=${id}`);
    assert.match(linked.text, new RegExp(DONT_KNOW), 'a link cannot fix a session');

    // A form posted with the id finds the session, and the page it answers with (here the form
    // again, the name being invalid) carries the id in its form; the link back to page 2 does not.
    const posted = await visitor.post(`${BASE}save`, { firstName: '', lastName: '', [ID_PARAM]: id });
    assert.equal(posted.response.status, 422);
    assert.ok(
      posted.text.includes(`<input type="hidden" name="${ID_PARAM}" value="${id}">`),
      'the form carries the id',
    );

    // Submitting a form with the hidden field tells the server whose session to forget.
    const forgot = await visitor.post(`${BASE}forget`, { [ID_PARAM]: id });
    assert.equal(forgot.response.status, 303);
    assert.match((await seeding.get(`${BASE}page2`)).text, new RegExp(DONT_KNOW));
  });
});

describe('name-form answering HEAD', () => {
  it('answers HEAD like GET, without a body, on every page (not 405)', async () => {
    const client = setup().client();
    await client.post(`${BASE}save`, ADA);
    for (const page of ['', 'page2', 'page3']) {
      const get = await client.get(`${BASE}${page}`);
      const head = await client.send(`${BASE}${page}`, { method: 'HEAD' });
      assert.equal(head.response.status, 200, page);
      assert.equal(head.text, '');
      assert.equal(head.response.headers.get('content-type'), get.response.headers.get('content-type'));
      assert.equal(head.response.headers.get('cache-control'), get.response.headers.get('cache-control'));
    }
    assert.deepEqual(await storedData(client), ADA, 'the session is as it was');
  });

  it('stores nothing for a first HEAD, as for a first GET; a HEAD to a POST-only address is 405', async () => {
    const { client } = setup();
    assert.equal(
      (await client().send(BASE, { method: 'HEAD' })).setCookie.length,
      0,
      'page 1 stores nothing',
    );
    const save = await client().send(`${BASE}save`, { method: 'HEAD' });
    assert.equal(save.response.status, 405);
    assert.equal(save.response.headers.get('allow'), 'POST');
    assert.equal(save.text, '');
  });
});
