// The lease lock's renewal timer on its own, over an in-memory lease table: it renews while a lock is
// held, stops at release and at close, and rides out a server that fails for a moment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LeaseOps, leaseLock } from './lease-lock.ts';

const LEASE = 200; // renewed every 60 ms
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One process's view of a lease table, counting renewals; `failing` makes the next renewals throw. */
function memoryLeases() {
  const rows = new Map<string, { owner: string; until: number }>();
  const state = { renewals: 0, failing: 0 };
  const ops: LeaseOps = {
    async take(key, owner, now, until) {
      const row = rows.get(key);
      if (row && row.until >= now) return false;
      rows.set(key, { owner, until });
      return true;
    },
    async renew(key, owner, until) {
      state.renewals++;
      if (state.failing > 0) {
        state.failing--;
        throw new Error('server away');
      }
      const row = rows.get(key);
      if (row?.owner !== owner || row.until < Date.now()) return false;
      row.until = until;
      return true;
    },
    async give(key, owner) {
      if (rows.get(key)?.owner === owner) rows.delete(key);
    },
  };
  return { ops, rows, state };
}

describe('leaseLock renewal', () => {
  it('renews a held lease past its length and stops renewing at release', async () => {
    const { ops, rows, state } = memoryLeases();
    const leases = leaseLock(ops, 1, LEASE);
    const release = await leases.lock('k');
    await sleep(4 * LEASE);
    assert.ok(state.renewals >= 3, `${state.renewals} renewals`);
    assert.ok((rows.get('k')?.until ?? 0) > Date.now(), 'still live after four leases');
    await release();
    const after = state.renewals;
    await sleep(2 * LEASE);
    assert.equal(state.renewals, after, 'a released lease is not renewed');
    assert.equal(rows.size, 0);
  });

  it('keeps renewing after a renewal fails for a moment (a server hiccup)', async () => {
    const { ops, rows, state } = memoryLeases();
    const leases = leaseLock(ops, 1, LEASE);
    // One renewal fails: the next one, at 0.6 of a lease, still finds the lease live. (Two failures
    // would leave it a tenth of a lease, which a busy machine's timers can overshoot.)
    state.failing = 1;
    const release = await leases.lock('k');
    await sleep(6 * LEASE);
    assert.ok((rows.get('k')?.until ?? 0) > Date.now(), 'renewed again once the server answered');
    await release();
  });

  it('stops every renewal at close, so the leases lapse as a dead process would leave them', async () => {
    const { ops, rows, state } = memoryLeases();
    const leases = leaseLock(ops, 1, LEASE);
    await leases.lock('a');
    await leases.lock('b');
    leases.close();
    const after = state.renewals;
    await sleep(3 * LEASE);
    assert.equal(state.renewals, after);
    for (const row of rows.values()) assert.ok(row.until < Date.now(), 'lapsed');
  });
});
