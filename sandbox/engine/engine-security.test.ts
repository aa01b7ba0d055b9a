// Ids the server never issued, malformed ids, duplicated and truncated cookies: each gets a fresh session,
// nothing is stored under a client-chosen id, and nothing answers 500.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ramStore } from '../stores/ram.ts';
import { counter } from '../testing/apps.ts';
import type { TestClient } from '../testing/client.ts';
import { COOKIE, cookiesNamed, lab, recordOf, spyStore } from '../testing/engine.ts';
import { type App, MAX_CANDIDATES } from './engine.ts';
import { generateId } from './ids.ts';

const countOf = (text: string): number => Number(/<output id="count">(\d+)<\/output>/.exec(text)?.[1]);
const readOnly: App = (_request, session) => new Response(String(session.get('pageViews') ?? 'none'));

describe('when the id is well formed but was never issued (fixation, cherrypy#709, OWASP strict mode)', () => {
  it('starts a fresh session under a new id and stores nothing under the attacker’s id, even after a write', async () => {
    const { client, store } = lab(counter);
    const planted = generateId();
    const victim = client();
    const first = await victim.get('/', { cookie: `${COOKIE}=${planted}` });
    assert.equal(countOf(first.text), 1);
    const issued = cookiesNamed(first.setCookie)[0]?.value ?? '';
    assert.notEqual(issued, planted);
    assert.match(issued, /^[A-Za-z0-9_-]{43}$/);
    await victim.get('/');
    assert.equal(await recordOf(store, planted), null);
    // The attacker, still holding the planted id, sees none of the victim's session.
    const attacker = await client().get('/', { cookie: `${COOKIE}=${planted}` });
    assert.equal(countOf(attacker.text), 1);
    assert.equal(await recordOf(store, planted), null);
  });

  it('clears the planted cookie when the request stores nothing', async () => {
    const { response, setCookie, text } = await lab(readOnly)
      .client()
      .get('/', { cookie: `${COOKIE}=${generateId()}` });
    assert.equal(response.status, 200);
    assert.equal(text, 'none');
    const [cleared] = cookiesNamed(setCookie);
    assert.equal(cleared?.value, '');
    assert.equal(cleared?.attributes.get('max-age'), '0');
    assert.equal(cleared?.attributes.get('path'), '/');
  });
});

describe('when the id is malformed (cherrypy#744, CVE-2008-0252)', () => {
  const malformed: [string, string][] = [
    ['a path', '../../etc/passwd'],
    ['an escaped path', '..%2F..%2Fetc%2Fpasswd'],
    ['a NUL', `${generateId().slice(0, 20)}%00${generateId().slice(0, 22)}`],
    ['unicode', `${'é'.repeat(43)}`],
    ['10 KB', 'A'.repeat(10_240)],
    ['nothing', ''],
    ['quotes', `"${generateId()}x"`],
    ['an escaped ;', `${generateId().slice(0, 21)}%3B${generateId().slice(0, 21)}`],
    ['a space inside', `${generateId().slice(0, 21)}%20${generateId().slice(0, 21)}`],
    ['one character too many', `${generateId()}A`],
  ];
  for (const [what, value] of malformed) {
    it(`starts fresh on ${what}, never queries the store and never answers 500`, async () => {
      const store = spyStore(ramStore({ maxSessions: 10 }));
      const { response, text, setCookie } = await lab(counter, {}, store)
        .client()
        .get('/', { cookie: `${COOKIE}=${value}` });
      assert.equal(response.status, 200);
      assert.equal(countOf(text), 1);
      const [fresh] = cookiesNamed(setCookie);
      assert.match(fresh?.value ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(store.calls, ['save'], 'the bad id never reached the store');
    });

    it(`deletes the bad cookie (${what}) with Max-Age=0 when the request stores nothing`, async () => {
      const { response, setCookie } = await lab(readOnly)
        .client()
        .get('/', { cookie: `${COOKIE}=${value}` });
      assert.equal(response.status, 200);
      const [cleared] = cookiesNamed(setCookie);
      assert.equal(cleared?.value, '');
      assert.equal(cleared?.attributes.get('max-age'), '0');
    });
  }

  it('starts fresh when the cookie was truncated by one character', async () => {
    const { client } = lab(counter);
    const browser = client();
    await browser.get('/');
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const { text, setCookie } = await client().get('/', { cookie: `${COOKIE}=${id.slice(0, -1)}` });
    assert.equal(countOf(text), 1);
    assert.notEqual(cookiesNamed(setCookie)[0]?.value, id);
  });
});

describe('when the cookie name appears twice (expressjs/session#881)', () => {
  for (const order of ['valid first', 'garbage first'] as const) {
    it(`uses the valid one (${order}) and keeps counting`, async () => {
      const { client } = lab(counter);
      const browser = client();
      await browser.get('/');
      const id = browser.jar.get(COOKIE) ?? '';
      const pairs = [`${COOKIE}=${id}`, `${COOKIE}=../../garbage`];
      if (order === 'garbage first') pairs.reverse();
      const { text, setCookie } = await client().get('/', { cookie: pairs.join('; ') });
      assert.equal(countOf(text), 2);
      assert.deepEqual(cookiesNamed(setCookie), [], 'the valid id stays; nothing to change');
    });
  }

  it('finds the valid one behind several junk values (cookie tossing)', async () => {
    const { client } = lab(counter);
    const browser = client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const junk = Array.from({ length: 5 }, (_, i) => `${COOKIE}=junk${i}`).join('; ');
    const { text } = await client().get('/', { cookie: `${junk}; ${COOKIE}=${id}` });
    assert.equal(countOf(text), 2);
  });

  it('uses the live one when both are well formed but one was never issued', async () => {
    const { client } = lab(counter);
    const browser = client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const { text } = await client().get('/', { cookie: `${COOKIE}=${generateId()}; ${COOKIE}=${id}` });
    assert.equal(countOf(text), 2);
  });

  it('finds the real id behind three copies of a planted unknown one, and keeps its cookie (cookie tossing)', async () => {
    const { client } = lab(counter);
    const browser = client();
    await browser.get('/');
    const real = browser.jar.get(COOKIE) ?? '';
    const planted = generateId();
    const header = `${COOKIE}=${planted}; ${COOKIE}=${planted}; ${COOKIE}=${planted}; ${COOKIE}=${real}`;
    const { text, setCookie } = await client().get('/', { cookie: header });
    assert.equal(countOf(text), 2);
    assert.deepEqual(cookiesNamed(setCookie), [], 'the real cookie is neither replaced nor deleted');
    const inspected = JSON.parse((await client().get('/_inspect', { cookie: header })).text);
    assert.equal(inspected.live, true);
    assert.deepEqual(inspected.data, { pageViews: 2 });
  });

  it(`finds the real id behind ${MAX_CANDIDATES - 1} distinct planted ones`, async () => {
    const { client } = lab(counter);
    const browser = client();
    await browser.get('/');
    const planted = Array.from({ length: MAX_CANDIDATES - 1 }, () => `${COOKIE}=${generateId()}`);
    const { text } = await client().get('/', {
      cookie: [...planted, `${COOKIE}=${browser.jar.get(COOKIE)}`].join('; '),
    });
    assert.equal(countOf(text), 2);
  });

  it(`past ${MAX_CANDIDATES} distinct ids, looks no further but does not delete the cookie`, async () => {
    const store = spyStore(ramStore({ maxSessions: 10 }));
    const { client } = lab(readOnly, {}, store);
    const planted = Array.from({ length: MAX_CANDIDATES + 4 }, () => `${COOKIE}=${generateId()}`);
    const { response, text, setCookie } = await client().get('/', { cookie: planted.join('; ') });
    assert.equal(response.status, 200);
    assert.equal(text, 'none');
    assert.equal(store.calls.length, MAX_CANDIDATES, 'the store lookups are capped');
    assert.deepEqual(cookiesNamed(setCookie), [], 'an untried one may be the real session');
  });

  it('shows the live one in the inspector too, not the dead one in front of it', async () => {
    const { client } = lab(counter);
    const browser = client();
    await browser.get('/');
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const { text } = await client().get('/_inspect', {
      cookie: `${COOKIE}=${generateId()}; ${COOKIE}=${id}`,
    });
    const body = JSON.parse(text);
    assert.equal(body.live, true);
    assert.deepEqual(body.data, { pageViews: 2 });
    assert.equal(body.id, `${id.slice(0, 6)}…${id.slice(-2)}`);
  });
});

describe('when another cookie carries an id (the cookie transport reads one name only)', () => {
  it('ignores an id in the URL and under other cookie names', async () => {
    const { client } = lab(counter);
    const browser = client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const viaUrl = await client().get(`/?${COOKIE}=${id}`);
    assert.equal(countOf(viaUrl.text), 1);
    const viaOtherName = await client().get('/', { cookie: `other=${id}; ${COOKIE}x=${id}` });
    assert.equal(countOf(viaOtherName.text), 1);
  });
});

describe('hostile ids on every transport get a clean answer, never a 500', () => {
  const hostile: [string, string][] = [
    ['a header break', '%3B%0d%0aX'],
    ['a NUL', `${generateId().slice(0, 20)}%00${generateId().slice(0, 22)}`],
    ['unicode', '%C3%A9'.repeat(43)],
    ['10 KB', 'A'.repeat(10_240)],
    ['a lone %', '%'],
  ];
  const send = {
    cookie: (client: TestClient, value: string) => client.get('/', { cookie: `${COOKIE}=${value}` }),
    url: (client: TestClient, value: string) => client.get(`/?${COOKIE}=${value}`),
    'hidden-field': (client: TestClient, value: string) =>
      client.send('/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://session.test' },
        body: `${COOKIE}=${value}`,
      }),
  } as const;
  for (const transport of ['cookie', 'url', 'hidden-field'] as const) {
    for (const [what, value] of hostile) {
      it(`${transport}: ${what} starts a fresh session and never reaches the store`, async (t) => {
        const logged = t.mock.method(console, 'error', () => {});
        const store = spyStore(ramStore({ maxSessions: 10 }));
        const { response, text } = await send[transport](lab(counter, { transport }, store).client(), value);
        assert.equal(response.status, 200);
        assert.equal(countOf(text), 1);
        assert.deepEqual(store.calls, ['save']);
        assert.equal(logged.mock.callCount(), 0);
      });
    }
  }
});
