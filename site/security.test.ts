// Cross-site POSTs through the site's /lab/ routes, on a real demo process: another site's form gets a
// clear 403 and changes nothing, the site's own pages go on working; the lab routes' own answers carry
// the demo security headers. (Browser-side: e2e/security.test.ts.)
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEMO_SECURITY_HEADERS } from '../sandbox/cli/security-headers.ts';
import { browser, inspect, serve } from './acceptance-harness.ts';
import { createLab } from './lab-server.ts';

const lab = createLab({});
const { origin, server } = await serve(lab.router);
after(async () => {
  server.close();
  await lab.stop();
});

const BASE = '/lab/name-form/ram/std/';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BODY = 'firstName=Mallory&lastName=Evil';

/** A visitor whose session holds the name Ada Lovelace, saved from the demo's own page. */
async function visitorNamedAda() {
  const visitor = browser(origin);
  await visitor.get(BASE);
  const saved = await visitor.post(`${BASE}save`, { firstName: 'Ada', lastName: 'Lovelace' });
  assert.equal(saved.response.status, 303, 'a same-origin form post (Origin: the site) is accepted');
  assert.deepEqual((await inspect(visitor, BASE)).data, { firstName: 'Ada', lastName: 'Lovelace' });
  return visitor;
}

describe('a form posted to a demo from another site', () => {
  const forgeries: [string, Record<string, string>, RegExp][] = [
    [
      'Sec-Fetch-Site: cross-site',
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' },
      /cross-site/,
    ],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }, /same-site/],
    ['a foreign Origin without fetch metadata', { origin: 'https://evil.test' }, /evil\.test/],
    ['Origin: null (a sandboxed frame)', { origin: 'null' }, /Origin: null/],
  ];
  for (const [what, headers, evidence] of forgeries) {
    it(`is refused with a 403 page and changes nothing: ${what}`, async () => {
      const visitor = await visitorNamedAda();
      const forged = await visitor.send(`${BASE}save`, {
        method: 'POST',
        headers: { ...FORM, ...headers },
        body: BODY,
      });
      assert.equal(forged.response.status, 403);
      assert.match(forged.text, /<h1>Refused: this request came from another site<\/h1>/);
      assert.match(forged.text, evidence);
      assert.deepEqual(forged.setCookie, []);
      assert.equal(forged.response.headers.get('cache-control'), 'no-store');
      for (const [name, value] of Object.entries(DEMO_SECURITY_HEADERS))
        assert.equal(forged.response.headers.get(name), value, name);
      assert.deepEqual((await inspect(visitor, BASE)).data, { firstName: 'Ada', lastName: 'Lovelace' });
    });
  }

  it("cannot make the inspector's buttons act on the visitor's session either", async () => {
    const visitor = await visitorNamedAda();
    const before = await inspect(visitor, BASE);
    const forged = await visitor.send(`${BASE}_lab/regenerate`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.test' },
    });
    assert.equal(forged.response.status, 403);
    assert.equal((await inspect(visitor, BASE)).storeKey, before.storeKey, 'same session, same key');
  });
});

describe('what the site lets through', () => {
  it('a POST from a page of the site itself (Sec-Fetch-Site: same-origin, no Origin needed)', async () => {
    const visitor = browser(origin);
    await visitor.get(BASE);
    const own = await visitor.send(`${BASE}save`, {
      method: 'POST',
      headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
      body: 'firstName=Grace&lastName=Hopper',
    });
    assert.equal(own.response.status, 303);
    assert.deepEqual((await inspect(visitor, BASE)).data, { firstName: 'Grace', lastName: 'Hopper' });
  });

  it('a POST with neither Origin nor Sec-Fetch-Site: not a browser, so no visitor cookie is abused', async () => {
    const cookieless = await fetch(`${origin}${BASE}save`, {
      method: 'POST',
      headers: FORM,
      body: 'firstName=Curl&lastName=User',
      redirect: 'manual',
    });
    assert.equal(cookieless.status, 303);
  });
});

describe('the site API (/lab-api/control)', () => {
  const control = (headers: Record<string, string>) =>
    fetch(`${origin}/lab-api/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ variant: 'name-form/ram/std', action: 'restart' }),
    });

  it('refuses another site and a request without Origin, with the headers, and takes its own page', async () => {
    // The engine's check (Sec-Fetch-Site first): a sibling of the same site is refused whatever its Origin.
    const sibling = { origin, 'sec-fetch-site': 'same-site' };
    for (const headers of [{ origin: 'https://evil.test' }, {}, sibling] as Record<string, string>[]) {
      const refused = await control(headers);
      assert.equal(refused.status, 403);
      assert.deepEqual(await refused.json(), { ok: false, message: 'Cross-site requests are refused.' });
      assert.equal(
        refused.headers.get('content-security-policy'),
        DEMO_SECURITY_HEADERS['content-security-policy'],
      );
      assert.equal(refused.headers.get('x-content-type-options'), 'nosniff');
    }
    const own = await control({ origin });
    assert.equal(own.status, 200);
    assert.equal((await own.json()).ok, true);
  });

  it("sends the headers with the router's own 404 page and JSON", async () => {
    for (const path of ['/lab/no-such-app/ram/std/', '/lab-api/backends?app=counter', '/lab-api/nothing']) {
      const response = await fetch(`${origin}${path}`);
      await response.arrayBuffer();
      for (const [name, value] of Object.entries(DEMO_SECURITY_HEADERS))
        assert.equal(response.headers.get(name), value, `${path}: ${name}`);
    }
  });
});

describe('behind a TLS proxy (SESSION_LAB_TRUST_PROXY=1)', () => {
  const tls = createLab({ SESSION_LAB_TRUST_PROXY: '1' });
  const started = serve(tls.router);
  after(async () => {
    (await started).server.close();
    await tls.stop();
  });
  const https = { 'x-forwarded-proto': 'https' };

  it('sends HSTS and a __Secure- session cookie to a visitor on https, on demos and pages alike', async () => {
    const visitor = browser((await started).origin, https);
    const { response, setCookie } = await visitor.get('/lab/counter/ram/std/');
    assert.equal(response.headers.get('strict-transport-security'), 'max-age=31536000');
    assert.equal(setCookie.length, 1);
    assert.match(setCookie[0] ?? '', /^__Secure-session_lab_id=[\w-]{43}; Path=\/lab\/counter\/ram\/std\/;/);
    assert.match(setCookie[0] ?? '', /; Secure/);
    assert.match((await visitor.get('/lab/counter/ram/std/')).text, /<output id="count">2</);
    const page = await fetch(`${(await started).origin}/chapters/`, { headers: https });
    assert.equal(page.headers.get('strict-transport-security'), 'max-age=31536000');
  });

  it('sends neither to a visitor on plain http', async () => {
    const visitor = browser((await started).origin);
    const { response, setCookie } = await visitor.get('/lab/counter/ram/std/');
    assert.equal(response.headers.get('strict-transport-security'), null);
    assert.match(setCookie[0] ?? '', /^session_lab_id=[\w-]{43}; Path=\/lab\/counter\/ram\/std\/;/);
    assert.doesNotMatch(setCookie[0] ?? '', /Secure/);
  });
});
