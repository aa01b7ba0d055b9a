import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterChanges, RecentCookies } from './recent-cookies.ts';

describe('the cookies recent exchanges set', () => {
  it('gives an inspection those set after its `after`, oldest first, and keeps none for an exchange that set none', () => {
    const recent = new RecentCookies();
    const now = Date.now();
    recent.record('k', { at: now - 3, final: true, changes: [['a', '1']] });
    recent.record('k', { at: now - 2, final: false, changes: [['a', '2']] });
    recent.record('k', { at: now - 1, final: true, changes: [] });
    recent.record('k', { at: now, final: true, changes: [['b', null]] });
    assert.deepEqual(
      recent.since('k', now - 3).map((set) => set.at),
      [now - 2, now],
    );
    assert.deepEqual(recent.since('other', 0), []);
    const after = afterChanges({ a: ['0'], b: ['x'], c: ['y'] }, recent.since('k', now - 3));
    assert.deepEqual(after, { a: ['2'], c: ['y'] });
  });

  it('keeps a bounded number of exchanges, the sessions served longest ago forgotten first', () => {
    const recent = new RecentCookies();
    const now = Date.now();
    for (let i = 0; i < 1_000; i++) recent.record(`k${i}`, { at: now, final: true, changes: [['a', 'v']] });
    assert.deepEqual(recent.since('k0', 0), []);
    assert.equal(recent.since('k999', 0).length, 1);
  });

  it('forgets an exchange after a few seconds: an inspection asks for its click well before', () => {
    const recent = new RecentCookies();
    recent.record('k', { at: Date.now() - 60_000, final: true, changes: [['a', 'v']] });
    assert.deepEqual(recent.since('k', 0), []);
  });
});
