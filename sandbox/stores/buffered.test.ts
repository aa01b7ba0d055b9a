import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestCookies, SessionRecord, Store } from '../engine/types.ts';
import { bufferedStore } from './buffered.ts';

const NO_COOKIES: RequestCookies = { secure: false, get: () => undefined, set: () => {}, delete: () => {} };

/** A store behind the buffer that keeps records in a map and shows them as JSON. */
function mapStore(): Store {
  const rows = new Map<string, SessionRecord>();
  return {
    name: 'file',
    async load(key) {
      return rows.get(key) ?? null;
    },
    async save(key, record) {
      rows.set(key, record);
    },
    async inspect(key) {
      const row = rows.get(key);
      return row ? { store: 'file', location: `${key}.json`, raw: JSON.stringify(row), bytes: 1 } : null;
    },
  };
}

const record: SessionRecord = { data: { pageViews: 1 }, createdAt: 1, expiresAt: Date.now() + 60_000 };

describe('a write-behind buffer, as the inspector sees it', () => {
  it('interval: tells when the next flush is due while changes wait, and nothing of it once written', async () => {
    const store = bufferedStore(mapStore(), 'interval', 5);
    const before = Date.now();
    await store.save('k', record, NO_COOKIES);
    const waiting = await store.inspect?.('k', NO_COOKIES);
    assert.match(waiting?.location ?? '', /^not yet in file: only in RAM/);
    assert.equal(waiting?.details?.changesInRam, 'written within 5 s');
    const due = Number(waiting?.details?.nextFlushAt);
    assert.ok(due > before && due <= Date.now() + 5_000, `the next flush is due within 5 s (${due})`);

    await store.flush();
    const written = await store.inspect?.('k', NO_COOKIES);
    assert.equal(written?.location, 'k.json');
    assert.equal(written?.details?.changesInRam, 'written');
    assert.equal(written?.details?.nextFlushAt, undefined);
    await store.close?.();
  });

  it('on-shutdown: no flush is due, so none is announced', async () => {
    const store = bufferedStore(mapStore(), 'on-shutdown', 5);
    await store.save('k', record, NO_COOKIES);
    const waiting = await store.inspect?.('k', NO_COOKIES);
    assert.equal(waiting?.details?.changesInRam, 'written at shutdown');
    assert.equal(waiting?.details?.nextFlushAt, undefined);
    await store.close?.();
  });
});
