// Cross-site POSTs are refused with 403 and change nothing; same-origin ones, typed ones and non-browser
// clients go through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counter } from '../testing/apps.ts';
import { COOKIE, lab, recordOf } from '../testing/engine.ts';
import { crossSiteSource } from './cross-site.ts';

const post = (headers: Record<string, string>) =>
  new Request('http://session.test/x', { method: 'POST', headers });

describe('when a request says where it came from (crossSiteSource)', () => {
  const url = new URL('http://session.test/x');
  it('lets safe methods, same-origin, typed and header-less requests through', () => {
    assert.equal(
      crossSiteSource(new Request(url, { headers: { 'sec-fetch-site': 'cross-site' } }), url, false),
      null,
    );
    assert.equal(crossSiteSource(post({ 'sec-fetch-site': 'same-origin' }), url, false), null);
    assert.equal(crossSiteSource(post({ 'sec-fetch-site': 'none' }), url, false), null);
    assert.equal(crossSiteSource(post({ origin: 'http://session.test' }), url, false), null);
    assert.equal(crossSiteSource(post({}), url, false), null);
  });

  it('refuses cross-site and same-site fetch metadata, a foreign or opaque Origin', () => {
    assert.equal(
      crossSiteSource(post({ 'sec-fetch-site': 'cross-site' }), url, false),
      'Sec-Fetch-Site: cross-site',
    );
    // A sibling subdomain (a student's page on the same school domain) is same-site, not same-origin.
    assert.equal(
      crossSiteSource(post({ 'sec-fetch-site': 'same-site' }), url, false),
      'Sec-Fetch-Site: same-site',
    );
    assert.equal(
      crossSiteSource(post({ origin: 'https://evil.test' }), url, false),
      'Origin: https://evil.test',
    );
    assert.equal(crossSiteSource(post({ origin: 'null' }), url, false), 'Origin: null');
    assert.match(crossSiteSource(post({ origin: '%%%' }), url, false) ?? '', /^Origin: "%%%"$/);
    // Sec-Fetch-Site decides when both are there.
    assert.equal(
      crossSiteSource(post({ 'sec-fetch-site': 'same-origin', origin: 'null' }), url, false),
      null,
    );
  });

  it('compares the Origin with the forwarded host only when the proxy is trusted', () => {
    const behind = post({ origin: 'https://lab.school.test', 'x-forwarded-host': 'lab.school.test' });
    assert.equal(crossSiteSource(behind, url, true), null);
    assert.equal(crossSiteSource(behind, url, false), 'Origin: https://lab.school.test');
  });
});

describe('when another site posts to a session app', () => {
  it('answers 403 with a clear page, and neither creates nor changes a session', async () => {
    const { client, store } = lab(counter);
    const browser = client();
    await browser.get('/');
    const id = browser.jar.get(COOKIE) ?? '';
    const forged = await browser.send('/', {
      method: 'POST',
      headers: { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(forged.response.status, 403);
    assert.match(forged.text, /role="alert".*another site.*Sec-Fetch-Site: cross-site/s);
    assert.deepEqual(forged.setCookie, []);
    assert.equal(forged.response.headers.get('cache-control'), 'no-store');
    assert.deepEqual((await recordOf(store, id))?.data, { pageViews: 1 });
    // The same visitor on the site itself goes on counting.
    const own = await browser.send('/', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } });
    assert.equal(own.response.status, 200);
    assert.deepEqual((await recordOf(store, id))?.data, { pageViews: 2 });
  });
});
