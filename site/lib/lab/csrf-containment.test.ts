// Public mode keeps the CSRF demo's unsafe variant (engine check off) from being used against another
// visitor: a same-site page, or one the site cannot place, is refused before the demo; the lab's own
// pages and cross-site requests (which a browser sends without the demo's SameSite=Lax cookies) pass.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import { browser, isolate, serve } from '../../acceptance-harness.ts';
import { createLab } from '../../lab-server.ts';
import { publicCrossSiteRefusal } from './csrf-containment.ts';

const post = (headers: Record<string, string>) => ({ method: 'POST', headers }) as unknown as IncomingMessage;

describe('publicCrossSiteRefusal', () => {
  it('passes safe methods, same-origin, typed, cross-site and header-less requests', () => {
    const host = 'lab.example';
    assert.equal(
      publicCrossSiteRefusal(
        { method: 'GET', headers: { 'sec-fetch-site': 'same-site' } } as unknown as IncomingMessage,
        host,
      ),
      null,
    );
    for (const site of ['same-origin', 'none', 'cross-site'])
      assert.equal(publicCrossSiteRefusal(post({ 'sec-fetch-site': site }), host), null, site);
    assert.equal(publicCrossSiteRefusal(post({}), host), null);
    assert.equal(publicCrossSiteRefusal(post({ origin: 'https://lab.example' }), host), null);
  });

  it('refuses a same-site page, and an Origin it cannot place without Fetch Metadata', () => {
    const host = 'lab.example';
    assert.equal(
      publicCrossSiteRefusal(post({ 'sec-fetch-site': 'same-site', origin: 'https://pupil.example' }), host),
      'Sec-Fetch-Site: same-site',
    );
    assert.equal(publicCrossSiteRefusal(post({ origin: 'null' }), host), 'Origin: null');
    assert.equal(
      publicCrossSiteRefusal(post({ origin: 'https://pupil.lab.example' }), host),
      'Origin: https://pupil.lab.example',
    );
    assert.equal(publicCrossSiteRefusal(post({ origin: '%%%' }), host), 'Origin: %%%');
  });
});

const env = await isolate({ servers: [] });
const lab = createLab({ PUBLIC: '1', SESSION_LAB_SECRET: 's'.repeat(40) });
const site = await serve(lab.router);
after(async () => {
  site.server.close();
  await lab.stop();
  await env.cleanup();
});
describe("a public site and the CSRF demo's unsafe variant", () => {
  const base = '/lab/login/ram/unsafe-no-cross-site-check/';
  const own = { 'sec-fetch-site': 'same-origin' };

  it("refuses a same-site page's forged POST with the victim's cookies; the email stays", async () => {
    const victim = browser(site.origin);
    assert.equal((await victim.get(base)).response.status, 200);
    const signedIn = await victim.post(`${base}sign-in`, { username: 'alice', password: 'wonderland' }, own);
    assert.equal(signedIn.response.status, 303);

    // A sibling subdomain's page: same site, so a browser would attach the SameSite=Lax cookies.
    const forged = await victim.post(
      `${base}email`,
      { email: 'mallory@attacker.example' },
      {
        origin: 'https://pupil.school.example',
        'sec-fetch-site': 'same-site',
      },
    );
    assert.equal(forged.response.status, 403);
    assert.match(forged.text, /Refused on this public site.*Sec-Fetch-Site: same-site/s);
    // Over plain http a browser sends no Fetch Metadata: an Origin of null cannot be placed either.
    const opaque = await victim.post(
      `${base}email`,
      { email: 'mallory@attacker.example' },
      { origin: 'null' },
    );
    assert.equal(opaque.response.status, 403);

    const account = await victim.get(`${base}account`);
    assert.match(account.text, /name="email" value="alice@example\.test"/);
  });

  it('lets a cross-site POST through to the demo, which a browser sends without the cookies: signed out, nothing changed', async () => {
    const stranger = browser(site.origin);
    const forged = await stranger.post(
      `${base}email`,
      { email: 'mallory@attacker.example' },
      {
        origin: 'null',
        'sec-fetch-site': 'cross-site',
      },
    );
    assert.equal(forged.response.status, 401);
    assert.match(forged.text, /Sign in first/);
  });

  it('offers only the sandboxed other site, only for the demos the pages show', async () => {
    const client = browser(site.origin);
    const sandbox = await client.get(`/other-site/?demo=${encodeURIComponent(base)}&from=sandbox`);
    assert.equal(sandbox.response.status, 200);
    assert.match(sandbox.response.headers.get('content-security-policy') ?? '', /sandbox allow-forms/);
    assert.equal(
      (await client.get(`/other-site/?demo=${encodeURIComponent(base)}&from=port`)).response.status,
      404,
    );
    const unoffered = '/lab/login/ram/unsafe-adopt-client-ids.unsafe-no-cross-site-check/';
    assert.equal(
      (await client.get(`/other-site/?demo=${encodeURIComponent(unoffered)}&from=sandbox`)).response.status,
      404,
    );
  });
});
