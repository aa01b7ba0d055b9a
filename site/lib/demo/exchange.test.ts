import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Exchange } from '../../../sandbox/inspector/exchange-log.ts';
import { exchangeSteps, storeOutcome } from './exchange.ts';

const BASE = '/lab/counter/ram/std/';
const exchange = (over: Partial<Exchange>): Exchange => ({
  at: 10_000,
  method: 'GET',
  path: BASE,
  status: 200,
  cookieHeader: null,
  setCookie: [],
  cookiesAsSet: [],
  rejected: 'none',
  ...over,
});
const cookie = { idName: 'session_lab_id', transport: 'cookie' as const, createdAt: 1 };

describe('what the store did', () => {
  it('when the request carried the id cookie and it was accepted: loaded', () => {
    const ex = exchange({ cookieHeader: 'theme=dark; session_lab_id=AbCdEf…xy' });
    assert.equal(storeOutcome(ex, cookie), 'loaded');
  });

  it('when no id cookie came (only other cookies): a new session', () => {
    assert.equal(storeOutcome(exchange({ cookieHeader: 'xsession_lab_id=1' }), cookie), 'new');
    assert.equal(storeOutcome(exchange({}), cookie), 'new');
  });

  it('when the engine refused the id: the reason it gave', () => {
    for (const rejected of ['malformed', 'unknown', 'expired'] as const) {
      assert.equal(storeOutcome(exchange({ rejected, cookieHeader: 'session_lab_id=x' }), cookie), rejected);
    }
  });

  it('with the URL transport, looks for the id in the query string', () => {
    const url = { ...cookie, transport: 'url' as const };
    assert.equal(storeOutcome(exchange({ path: `${BASE}page2?session_lab_id=AbCdEf…xy` }), url), 'loaded');
    assert.equal(storeOutcome(exchange({ path: `${BASE}page2` }), url), 'new');
  });

  it('with a hidden field on a POST, tells a new session by its creation time', () => {
    const hidden = { ...cookie, transport: 'hidden-field' as const };
    const post = exchange({ method: 'POST', path: `${BASE}save`, at: 10_000 });
    assert.equal(storeOutcome(post, { ...hidden, createdAt: 9_990 }), 'new');
    assert.equal(storeOutcome(post, { ...hidden, createdAt: 1_000 }), 'loaded');
    assert.equal(storeOutcome(post, { ...hidden, createdAt: 9_990, seenBefore: true }), 'loaded');
  });

  it('with a hidden field on a GET, counts an id in the address as none: the engine ignores it there', () => {
    const hidden = { ...cookie, transport: 'hidden-field' as const };
    const get = exchange({ method: 'GET', path: `${BASE}page2?session_lab_id=AbCdEf…xy`, at: 10_000 });
    assert.equal(storeOutcome(get, { ...hidden, createdAt: 1_000 }), 'new');
  });
});

describe('the three steps drawn', () => {
  it('show the Cookie header going in and the Set-Cookie coming back', () => {
    const steps = exchangeSteps(
      exchange({
        cookieHeader: 'session_lab_id=AbCdEf…xy',
        rejected: 'unknown',
        setCookie: [`session_lab_id=GhIjKl…zz; Path=${BASE}; HttpOnly; SameSite=Lax`],
      }),
      cookie,
    );
    assert.equal(steps.request.line, `GET ${BASE}`);
    assert.equal(steps.request.carried, 'Cookie: session_lab_id=AbCdEf…xy');
    assert.equal(steps.store.label, 'rejected: unknown');
    assert.equal(steps.store.lookedUp, true);
    assert.equal(exchangeSteps(exchange({ rejected: 'malformed' }), cookie).store.lookedUp, false);
    assert.equal(
      steps.response.carried,
      `Set-Cookie: session_lab_id=GhIjKl…zz; Path=${BASE}; HttpOnly; SameSite=Lax`,
    );
  });

  it('say when the response deletes the cookie, and when it sets none', () => {
    const deleted = exchangeSteps(
      exchange({ status: 204, setCookie: [`session_lab_id=; Path=${BASE}; Max-Age=0; HttpOnly`] }),
      cookie,
    );
    assert.equal(deleted.response.carried, 'Set-Cookie: session_lab_id= (deletes it)');
    assert.equal(
      exchangeSteps(exchange({}), cookie).response.carried,
      'no Set-Cookie: the browser keeps the cookie it has',
    );
    assert.equal(exchangeSteps(exchange({}), cookie).request.carried, 'no Cookie header');
  });
});

describe('the store step, told per backend', () => {
  it('a server store found the record filed under SHA-256(id); the cookie store opened the data cookie', () => {
    const loaded = exchange({ cookieHeader: 'session_lab_id=AbCdEf…xy' });
    assert.match(
      exchangeSteps(loaded, { ...cookie, store: 'redis' }).store.text,
      /filed under SHA-256\(id\)/,
    );
    const sealed = exchangeSteps(loaded, { ...cookie, store: 'cookie' }).store.text;
    assert.match(sealed, /opened the data cookie the request carried/);
    assert.doesNotMatch(sealed, /filed under/);
  });

  it('a refusal says what the app got, not that a session was made (a page may store nothing)', () => {
    for (const rejected of ['malformed', 'unknown', 'expired'] as const) {
      for (const store of ['ram', 'cookie']) {
        const { text } = exchangeSteps(exchange({ rejected, cookieHeader: 'session_lab_id=x' }), {
          ...cookie,
          store,
        }).store;
        assert.match(text, /the app got a fresh, empty session$/);
      }
    }
    const expired = exchange({ rejected: 'expired', cookieHeader: 'session_lab_id=x' });
    assert.match(exchangeSteps(expired, { ...cookie, store: 'cookie' }).store.text, /delete the cookie/);
  });
});
