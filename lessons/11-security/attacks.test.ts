// The two attacks of chapter 11 against the login app, socket-free: session fixation (a planted id
// in a link, on the URL transport) and a stolen id replayed. Each works only with its flaws switched
// on, and never reaches another visitor (lab containment: the session is bound to `lab_visitor`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineConfig, type SessionConfig } from '../../sandbox/engine/config.ts';
import { generateId } from '../../sandbox/engine/ids.ts';
import { Inspector } from '../../sandbox/inspector/inspector.ts';
import { cookieStore } from '../../sandbox/stores/cookie.ts';
import { ramStore } from '../../sandbox/stores/ram.ts';
import { TestClient } from '../../sandbox/testing/client.ts';
import { COOKIE, cookiesNamed } from '../../sandbox/testing/engine.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { loginApp } from './login-app.ts';
import { VISITOR_COOKIE } from './login-cookies.ts';

const BASE = '/login/';
const signedInAs = (text: string) => /Signed in as <b>([a-z]+)<\/b>/.exec(text)?.[1];

function setup(config: Partial<SessionConfig>) {
  const full = defineConfig(config);
  const store =
    full.storageType === 'cookie'
      ? cookieStore({
          secrets: full.secrets,
          cookieName: `${full.cookieName}_data`,
          path: BASE,
          sameSite: 'lax',
        })
      : ramStore({ maxSessions: 100 });
  const inspector = new Inspector(full, store, createTransport(full));
  const app = loginApp();
  return () => new TestClient((request) => inspector.handle(request, app, BASE));
}

/** A second "browser" of the same visitor: its own session, the same `lab_visitor`. */
function sameVisitor(of: TestClient, browser: () => TestClient): TestClient {
  const other = browser();
  other.jar.values.set(VISITOR_COOKIE, of.jar.get(VISITOR_COOKIE) ?? '');
  return other;
}

/** The id the URL transport put in the page's links (the sign-in form's action, a redirect). */
const idInPage = (text: string) => new RegExp(`${COOKIE}=([A-Za-z0-9_-]{43})`).exec(text)?.[1];

/** The victim opens the planted link and signs in as alice from that page; returns the id it then holds. */
async function victimSignsIn(victim: TestClient, planted: string): Promise<string | undefined> {
  const page = await victim.get(`${BASE}?${COOKIE}=${planted}`);
  const held = idInPage(page.text);
  const action = held ? `${BASE}sign-in?${COOKIE}=${held}` : `${BASE}sign-in`;
  const signedIn = await victim.post(action, { username: 'alice', password: 'wonderland' });
  assert.equal(signedIn.response.status, 303);
  return /[?&]session_lab_id=([A-Za-z0-9_-]{43})/.exec(signedIn.response.headers.get('location') ?? '')?.[1];
}

describe('session fixation through a planted link (URL transport)', () => {
  const unsafe: Partial<SessionConfig> = {
    transport: 'url',
    unsafeDemoFlaws: ['adopt-client-ids', 'keep-id-at-sign-in'],
  };

  it('with ids adopted and kept at sign-in, the attacker’s invented id is signed in as alice', async () => {
    const browser = setup(unsafe);
    const attacker = browser();
    await attacker.get(BASE);
    const planted = generateId();
    const victim = sameVisitor(attacker, browser);
    assert.equal(await victimSignsIn(victim, planted), planted, 'the victim’s session kept the planted id');
    assert.equal(signedInAs((await attacker.get(`${BASE}?${COOKIE}=${planted}`)).text), 'alice');
  });

  it('with strict ids and a new id at sign-in, the planted id stays signed out', async () => {
    const browser = setup({ transport: 'url' });
    const attacker = browser();
    await attacker.get(BASE);
    const planted = generateId();
    const victim = sameVisitor(attacker, browser);
    const held = await victimSignsIn(victim, planted);
    assert.ok(held && held !== planted);
    assert.equal(signedInAs((await victim.get(`${BASE}?${COOKIE}=${held}`)).text), 'alice');
    assert.equal(signedInAs((await attacker.get(`${BASE}?${COOKIE}=${planted}`)).text), undefined);
  });

  it('with ids adopted but a new id at sign-in, the planted id stays signed out', async () => {
    const browser = setup({ transport: 'url', unsafeDemoFlaws: ['adopt-client-ids'] });
    const attacker = browser();
    await attacker.get(BASE);
    const planted = generateId();
    const held = await victimSignsIn(sameVisitor(attacker, browser), planted);
    assert.ok(held && held !== planted, 'regenerate() gave the signed-in session a new id');
    assert.equal(signedInAs((await attacker.get(`${BASE}?${COOKIE}=${planted}`)).text), undefined);
  });

  it('never reaches another visitor: B signing in on A’s planted link gives A nothing', async () => {
    const browser = setup(unsafe);
    const a = browser();
    await a.get(BASE);
    const planted = generateId();
    const b = browser(); // another browser: its own lab_visitor
    assert.equal(await victimSignsIn(b, planted), planted);
    assert.equal(signedInAs((await b.get(`${BASE}?${COOKIE}=${planted}`)).text), 'alice');
    assert.equal(signedInAs((await a.get(`${BASE}?${COOKIE}=${planted}`)).text), undefined);
    // Nor does the inspector show A that session, its data or its last exchange.
    const seenByA = JSON.parse((await a.get(`${BASE}_inspect?${COOKIE}=${planted}`)).text);
    assert.equal(seenByA.data ?? null, null);
    assert.equal(seenByA.lastExchange ?? null, null);
    const seenByB = JSON.parse((await b.get(`${BASE}_inspect?${COOKIE}=${planted}`)).text);
    assert.equal(seenByB.data?.user, 'alice');
  });
});

describe('a stolen id replayed (cookie transport)', () => {
  async function victimWithSession(config: Partial<SessionConfig>) {
    const browser = setup(config);
    const victim = browser();
    const signedIn = await victim.post(`${BASE}sign-in`, { username: 'alice', password: 'wonderland' });
    return { browser, victim, line: cookiesNamed(signedIn.setCookie)[0] };
  }

  it('without HttpOnly the cookie is script-readable; replayed with the same visitor it is signed in', async () => {
    const { browser, victim, line } = await victimWithSession({
      unsafeDemoFlaws: ['script-readable-cookie'],
    });
    assert.equal(line?.attributes.has('httponly'), false);
    const thief = sameVisitor(victim, browser);
    thief.jar.values.set(COOKIE, line?.value ?? '');
    assert.equal(signedInAs((await thief.get(BASE)).text), 'alice');
  });

  it('by default the cookie is HttpOnly', async () => {
    const { line } = await victimWithSession({});
    assert.equal(line?.attributes.has('httponly'), true);
  });

  it('replayed from another visitor’s browser, it shows signed out', async () => {
    const { browser, line } = await victimWithSession({ unsafeDemoFlaws: ['script-readable-cookie'] });
    const stranger = browser();
    await stranger.get(BASE);
    stranger.jar.values.set(COOKIE, line?.value ?? '');
    assert.equal(signedInAs((await stranger.get(BASE)).text), undefined);
  });

  it('the lab replay serves the page as the attacker’s browser gets it, for this browser’s own id only', async () => {
    const { browser, victim, line } = await victimWithSession({
      unsafeDemoFlaws: ['script-readable-cookie'],
    });
    const replay = await victim.post(`${BASE}_lab/replay`, { id: line?.value ?? '' });
    assert.equal(replay.response.status, 200);
    assert.equal(signedInAs(replay.text), 'alice');
    assert.deepEqual(replay.setCookie, [], 'nothing is set in the real browser');
    const other = await victim.post(`${BASE}_lab/replay`, { id: generateId() });
    assert.equal(other.response.status, 403, 'an id this browser does not hold is refused');
    const stranger = browser();
    stranger.jar.values.set(COOKIE, line?.value ?? '');
    const fromStranger = await stranger.post(`${BASE}_lab/replay`, { id: line?.value ?? '' });
    assert.equal(signedInAs(fromStranger.text), undefined, 'another visitor’s replay shows signed out');
  });

  it('the lab replay is not served without the flaw', async () => {
    const { victim } = await victimWithSession({});
    const replay = await victim.post(`${BASE}_lab/replay`, { id: victim.jar.get(COOKIE) ?? '' });
    assert.equal(replay.response.status, 404);
  });

  it('on the cookie store, the id and the data cookie are both script-readable, and the replay takes both', async () => {
    const secret = 's'.repeat(32);
    const { victim } = await victimWithSession({
      storageType: 'cookie',
      secrets: [secret],
      unsafeDemoFlaws: ['script-readable-cookie'],
    });
    const id = victim.jar.get(COOKIE) ?? '';
    const data = victim.jar.get(`${COOKIE}_data`) ?? '';
    assert.ok(id && data);
    const idOnly = await victim.post(`${BASE}_lab/replay`, { id });
    assert.equal(signedInAs(idOnly.text), undefined, 'the id alone opens nothing on the cookie store');
    const both = await victim.post(`${BASE}_lab/replay`, { id, data });
    assert.equal(signedInAs(both.text), 'alice');
  });
});
