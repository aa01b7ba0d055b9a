import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedInAs, stolenSession } from './attack-reading.ts';

const ID = `${'A'.repeat(21)}-_${'z'.repeat(20)}`;
const NAME = 'session_lab_id';

describe('what the attack panel reads', () => {
  it('finds who a login page says is signed in', () => {
    assert.equal(signedInAs('Login\n  Signed in as alice (alice@example.test)'), 'alice');
    assert.equal(signedInAs('Sign in: alice / wonderland'), null);
  });

  it('finds the session id in document.cookie, under either name, and nothing else', () => {
    assert.deepEqual(stolenSession(`theme=dark; session_lab_id=${ID}`, NAME), { id: ID, data: null });
    assert.deepEqual(stolenSession(`__Secure-session_lab_id=${ID}`, NAME), { id: ID, data: null });
    assert.equal(stolenSession(`other_session_lab_id=${ID}`, NAME), null);
    assert.equal(stolenSession('session_lab_id=../x', NAME), null);
    assert.equal(stolenSession('', NAME), null);
  });

  it('takes the cookie store’s data cookie along with the id', () => {
    const found = stolenSession(`session_lab_id_data=v1.abc.def; session_lab_id=${ID}`, NAME);
    assert.deepEqual(found, { id: ID, data: 'v1.abc.def' });
  });
});
