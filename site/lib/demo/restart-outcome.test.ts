import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flushPending } from './render-store.ts';
import { restartOutcome, type SessionSnapshot } from './restart-outcome.ts';

const session = (data: SessionSnapshot['data'], store = 'file'): SessionSnapshot => ({
  store,
  storeKey: 'k1',
  live: true,
  data,
});

describe('what a restart or a crash left of the session', () => {
  it('says it survived only when the store hands back the same data', () => {
    const found = restartOutcome(session({ pageViews: 5 }), session({ pageViews: 5 }));
    assert.equal(found?.kept, 'all');
    assert.equal(found?.text, 'The store still had the session as it was (pageViews 5): it survived.');
  });

  it('compares values, not key order', () => {
    const found = restartOutcome(session({ a: 1, b: [1, { c: 2 }] }), session({ b: [1, { c: 2 }], a: 1 }));
    assert.equal(found?.kept, 'all');
  });

  it('counts the updates lost when the store had an older copy (kill -9 under on-shutdown)', () => {
    const found = restartOutcome(session({ pageViews: 5 }), session({ pageViews: 3 }));
    assert.equal(found?.kept, 'older');
    assert.equal(
      found?.text,
      'The store had only an older copy of the session (pageViews 3, not pageViews 5): pageViews fell from 5 to 3: 2 updates were lost.',
    );
    assert.match(restartOutcome(session({ n: 2 }), session({ n: 1 }))?.text ?? '', /1 update was lost/);
  });

  it('says the changes were lost when an older copy differs in other ways', () => {
    const found = restartOutcome(session({ note: 'new' }), session({ note: 'old' }));
    assert.equal(found?.kept, 'older');
    assert.match(found?.text ?? '', /note "old", not note "new"\): the changes since that copy were lost\.$/);
  });

  it('says everything was lost when the store has no live copy', () => {
    const gone = { store: 'file', storeKey: 'k1', live: false, data: null };
    for (const after of [gone, null, { ...session({ pageViews: 5 }), storeKey: 'k2' }]) {
      const found = restartOutcome(session({ pageViews: 5 }), after);
      assert.equal(found?.kept, 'none');
      assert.equal(
        found?.text,
        'The store had no copy of the session: everything in it (pageViews 5) was lost.',
      );
    }
  });

  it('names the cookie, and the answering pid when there are several processes', () => {
    const cookie = restartOutcome(session({ pageViews: 2 }, 'cookie'), session({ pageViews: 2 }, 'cookie'));
    assert.match(cookie?.text ?? '', /data cookie.*survived/);
    const pid = restartOutcome(session({ pageViews: 2 }), session({ pageViews: 2 }), '4242');
    assert.match(pid?.text ?? '', /^Asked through pid 4242, the store still had/);
  });

  it('has nothing to compare without a live session before', () => {
    assert.equal(restartOutcome(null, session({ pageViews: 1 })), null);
    assert.equal(restartOutcome({ store: 'file', live: false }, session({ pageViews: 1 })), null);
  });
});

describe('the inspector looks again after a write-behind flush', () => {
  const answer = (details: Record<string, string | number> | null) =>
    ({ stored: details && { store: 'file', location: '', raw: '', bytes: 0, details } }) as Parameters<
      typeof flushPending
    >[0];

  it('while interval changes wait for the flush due at nextFlushAt', () => {
    assert.equal(
      flushPending(answer({ writePolicy: 'interval', changesInRam: 'written within 5 s', nextFlushAt: 9 })),
      9,
    );
  });

  it('not once they are written, nor under other policies, nor without a stored form', () => {
    assert.equal(flushPending(answer({ writePolicy: 'interval', changesInRam: 'written' })), null);
    assert.equal(
      flushPending(answer({ writePolicy: 'on-shutdown', changesInRam: 'written at shutdown' })),
      null,
    );
    assert.equal(flushPending(answer(null)), null);
  });
});
