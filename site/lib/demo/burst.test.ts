import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { burstSummary, countStatuses, numericChanges } from './burst.ts';

describe('after a burst of parallel requests', () => {
  it('finds the counters that moved, counting a missing one as 0', () => {
    assert.deepEqual(numericChanges({ pageViews: 3, name: 'x' }, { pageViews: 24, name: 'y', fresh: 2 }), [
      { key: 'pageViews', before: 3, after: 24 },
      { key: 'fresh', before: 0, after: 2 },
    ]);
    assert.deepEqual(numericChanges(null, null), []);
  });

  it('says no update was lost when every request counted', () => {
    const text = burstSummary({
      sent: 20,
      requests: 21,
      statuses: countStatuses(Array(20).fill(200)),
      failed: 0,
      changes: [{ key: 'pageViews', before: 3, after: 24 }],
    });
    assert.equal(
      text,
      'Sent 20 requests at once (20 × 200), then reloaded the demo page. pageViews went 3 → 24 (+21 for 21 requests).',
    );
  });

  it('counts the lost updates when requests overwrote each other', () => {
    const text = burstSummary({
      sent: 20,
      requests: 21,
      statuses: countStatuses([...Array(19).fill(200), 503]),
      failed: 0,
      changes: [{ key: 'pageViews', before: 3, after: 9 }],
    });
    assert.equal(
      text,
      'Sent 20 requests at once (19 × 200, 1 × 503), then reloaded the demo page. pageViews went 3 → 9: +6 for 21 requests, so 15 updates were lost.',
    );
  });

  it('reports network failures and an unchanged session', () => {
    assert.equal(
      burstSummary({ sent: 2, requests: 3, statuses: {}, failed: 2, changes: [] }),
      'Sent 2 requests at once (none answered, 2 failed), then reloaded the demo page. No number in the session changed.',
    );
  });
});
