// The cookie store's secret when the config has none: SESSION_LAB_SECRET, else a generated one kept 0600.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, defineConfig } from '../engine/config.ts';
import { tempDir } from '../testing/cli-harness.ts';
import { SECRET_ENV, withCookieSecret } from './secret.ts';

const work = tempDir('secret');
after(() => work.remove());
const cookie = defineConfig({ storageType: 'cookie' });
const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(40);

describe('withCookieSecret', () => {
  it('leaves other stores, and a cookie config that has a secret, alone', () => {
    const file = join(work.dir, 'untouched');
    const ram = defineConfig();
    assert.deepEqual(withCookieSecret(ram, {}, file), { config: ram, note: undefined });
    const given = { ...cookie, secrets: [KEY_A] };
    assert.deepEqual(withCookieSecret(given, { [SECRET_ENV]: KEY_B }, file), {
      config: given,
      note: undefined,
    });
  });

  it(`takes ${SECRET_ENV} as a comma list, newest first`, () => {
    const { config, note } = withCookieSecret(
      cookie,
      { [SECRET_ENV]: ` ${KEY_A} , ${KEY_B}` },
      '/nonexistent',
    );
    assert.deepEqual(config.secrets, [KEY_A, KEY_B]);
    assert.equal(note, `cookie secret from ${SECRET_ENV} (2 key(s))`);
    assert.throws(() => withCookieSecret(cookie, { [SECRET_ENV]: 'short' }), ConfigError);
  });

  it('generates one into a 0600 file on first use and reads it back afterwards', () => {
    const file = join(work.dir, '.data', 'cookie-secret');
    const first = withCookieSecret(cookie, {}, file);
    assert.match(first.note ?? '', /generated and kept in .*cookie-secret \(mode 0600/);
    const [secret] = first.config.secrets;
    assert.ok(secret && secret.length >= 32);
    assert.equal(readFileSync(file, 'utf8').trim(), secret);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const second = withCookieSecret(cookie, {}, file);
    assert.deepEqual(second.config.secrets, [secret]);
    assert.match(second.note ?? '', /read from/);
  });

  it('refuses a kept file whose secret is too short, naming the file', () => {
    const file = join(work.dir, 'short-secret');
    writeFileSync(file, 'abc\n');
    assert.throws(
      () => withCookieSecret(cookie, {}, file),
      new RegExp(`${file}: got a secret of 3 characters, expected each to have at least 32`),
    );
  });
});
