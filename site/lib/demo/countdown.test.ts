import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clockOffset, describeRemaining, formatRemaining, remainingMs } from './countdown.ts';

describe('the expiry countdown', () => {
  it('corrects for a local clock that runs 10 minutes fast', () => {
    const serverNow = 1_000_000;
    const offset = clockOffset(serverNow, serverNow + 600_000);
    assert.equal(remainingMs(serverNow + 30_000, serverNow + 600_000 + 5_000, offset), 25_000);
  });

  it('never goes below zero', () => {
    assert.equal(remainingMs(1_000, 5_000, 0), 0);
  });

  it('never shows more than the idle timeout: a fresh 30 s session shows 0:30, not 0:31', () => {
    // The server read its clock 400 ms before the request that set the deadline (an inspection that
    // waited for the click), so the deadline is 30.4 s after the `now` the offset was measured from.
    const serverNow = 1_000_000;
    const offset = clockOffset(serverNow, serverNow);
    const left = remainingMs(serverNow + 400 + 30_000, serverNow, offset, 30_000);
    assert.equal(left, 30_000);
    assert.equal(formatRemaining(left), '0:30');
    assert.equal(describeRemaining(left, 0.5), 'expires in 0:30 unless you use it (idle timeout 30 s)');
  });

  it('shows m:ss under an hour and h:mm:ss above', () => {
    assert.equal(formatRemaining(29_001), '0:30');
    assert.equal(formatRemaining(30_000), '0:30');
    assert.equal(formatRemaining(65_000), '1:05');
    assert.equal(formatRemaining(3_600_000), '1:00:00');
    assert.equal(formatRemaining(3_723_000), '1:02:03');
    assert.equal(formatRemaining(-5), '0:00');
  });

  it('says what happens at zero, with the timeout in seconds when it is short', () => {
    assert.equal(
      describeRemaining(0, 0.5),
      'expired: the next request starts a new session (idle timeout 30 s)',
    );
    assert.equal(describeRemaining(61_000, 60), 'expires in 1:01 unless you use it (idle timeout 60 min)');
  });
});
