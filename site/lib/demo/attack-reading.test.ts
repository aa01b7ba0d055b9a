import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedInAs, stolenId } from './attack-reading.ts';

const ID = 'A'.repeat(21) + '-_' + 'z'.repeat(20);

describe('what the attack panel reads', () => {
  it('finds who a login page says is signed in', () => {
    assert.equal(signedInAs('Login\n  Signed in as alice (alice@example.test)'), 'alice');
    assert.equal(signedInAs('Sign in: alice / wonderland'), null);
  });

  it('finds the session id in document.cookie, under either name, and nothing else', () => {
    assert.equal(stolenId(`theme=dark; session_lab_id=${ID}`, 'session_lab_id'), ID);
    assert.equal(stolenId(`__Secure-session_lab_id=${ID}`, 'session_lab_id'), ID);
    assert.equal(stolenId(`other_session_lab_id=${ID}`, 'session_lab_id'), null);
    assert.equal(stolenId('session_lab_id=../x', 'session_lab_id'), null);
    assert.equal(stolenId('', 'session_lab_id'), null);
  });
});
