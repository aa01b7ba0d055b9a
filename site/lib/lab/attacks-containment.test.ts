// Public mode keeps chapter 11's fixation and stolen-id demos inside one visitor: two browsers (two
// cookie jars) through the site's /lab/ routes. A planted link signed in from another browser gives its
// author nothing; a stolen id replayed from another browser shows signed out; the replay endpoint takes
// only the caller's own id; and an unsafe variant no page offers is a 404.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateId } from '../../../sandbox/engine/ids.ts';
import type { TestClient } from '../../../sandbox/testing/client.ts';
import { browser, COOKIE, isolate, serve } from '../../acceptance-harness.ts';
import { createLab } from '../../lab-server.ts';

const FIXATION = '/lab/login/ram/url.unsafe-adopt-client-ids.unsafe-keep-id-at-sign-in/';
const STOLEN = '/lab/login/ram/unsafe-script-readable-cookie/';
const own = { 'sec-fetch-site': 'same-origin' };
const signedInAs = (text: string) => /Signed in as <b>([a-z]+)<\/b>/.exec(text)?.[1];

describe('a public site and the fixation and stolen-id demos', () => {
  let origin = '';
  let stop: () => Promise<void> = async () => {};
  before(async () => {
    const env = await isolate({ servers: [] });
    const lab = createLab({ PUBLIC: '1', SESSION_LAB_SECRET: 's'.repeat(40) });
    const site = await serve(lab.router);
    origin = site.origin;
    stop = async () => {
      site.server.close();
      await lab.stop();
      await env.cleanup();
    };
  });
  after(() => stop());

  const signIn = (client: TestClient, path: string) =>
    client.post(path, { username: 'alice', password: 'wonderland' }, own);

  it('a planted link signed in from another browser leaves its author signed out', async () => {
    const author = browser(origin);
    await author.get(FIXATION);
    const planted = generateId();
    const other = browser(origin);
    assert.equal((await other.get(`${FIXATION}?${COOKIE}=${planted}`)).response.status, 200);
    const signedIn = await signIn(other, `${FIXATION}sign-in?${COOKIE}=${planted}`);
    assert.equal(signedIn.response.status, 303);
    assert.equal(signedInAs((await other.get(`${FIXATION}?${COOKIE}=${planted}`)).text), 'alice');
    assert.equal(signedInAs((await author.get(`${FIXATION}?${COOKIE}=${planted}`)).text), undefined);
    const inspected = JSON.parse((await author.get(`${FIXATION}_inspect?${COOKIE}=${planted}`)).text);
    assert.equal(inspected.data ?? null, null, "the author's inspector shows none of that session");
    assert.equal(inspected.lastExchange ?? null, null);
  });

  it('a stolen id replayed from another browser shows signed out, and the replay takes only its own id', async () => {
    const victim = browser(origin);
    await victim.get(STOLEN);
    const signedIn = await signIn(victim, `${STOLEN}sign-in`);
    assert.doesNotMatch(
      signedIn.setCookie.find((line) => line.startsWith(`${COOKIE}=`)) ?? 'none',
      /HttpOnly/i,
      'the unsafe variant leaves the id readable',
    );
    const stolen = victim.jar.get(COOKIE) ?? '';
    assert.equal(signedInAs((await victim.get(STOLEN)).text), 'alice');
    const thief = browser(origin);
    await thief.get(STOLEN);
    const refused = await thief.post(`${STOLEN}_lab/replay`, { id: stolen }, own);
    assert.equal(refused.response.status, 403, 'an id the caller does not hold is refused');
    // The thief's browser holding the stolen id (and its own lab_visitor) is not signed in.
    thief.jar.values.set(COOKIE, stolen);
    assert.equal(signedInAs((await thief.get(STOLEN)).text), undefined);
    const replayed = await thief.post(`${STOLEN}_lab/replay`, { id: stolen }, own);
    assert.equal(signedInAs(replayed.text), undefined);
    assert.equal(signedInAs((await victim.get(STOLEN)).text), 'alice', 'the victim is still signed in');
  });

  it('serves an unsafe variant only where a page offers it', async () => {
    const client = browser(origin);
    assert.equal((await client.get(STOLEN)).response.status, 200);
    assert.equal((await client.get('/lab/login/ram/unsafe-adopt-client-ids/')).response.status, 404);
    assert.equal(
      (await client.get('/lab/login/ram/url.unsafe-script-readable-cookie/')).response.status,
      404,
    );
  });
});
