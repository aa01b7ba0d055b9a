// Flags → options, without starting anything: precedence (defaults < app < file < flags) and every refusal.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { APPS } from '../testing/apps.ts';
import { tempDir, writeConfig } from '../testing/cli-harness.ts';
import type { AppRegistry } from './apps.ts';
import { DEFAULT_PORT, parseCliArgs, UsageError } from './args.ts';

const work = tempDir('args');
after(() => work.remove());

function options(argv: string[], apps: AppRegistry = APPS) {
  const parsed = parseCliArgs(argv, apps);
  assert.equal(parsed.help, false);
  return parsed as Exclude<typeof parsed, { help: true }>;
}

function refusal(argv: string[]): UsageError {
  try {
    parseCliArgs(argv, APPS);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error;
  }
  assert.fail(`accepted ${argv.join(' ')}`);
}

describe('parseCliArgs', () => {
  it("uses the app's default store, port 4400 and one process when nothing is given", () => {
    const counter = options(['counter']);
    assert.equal(counter.config.storageType, 'ram');
    assert.equal(counter.port, DEFAULT_PORT);
    assert.equal(counter.workers, 1);
    const onSqlite = { counter: { ...APPS.counter, defaultStore: 'sqlite' as const } };
    assert.equal(options(['counter'], onSqlite).config.storageType, 'sqlite');
  });

  it('lets the file override the defaults and the flags override the file', () => {
    const path = writeConfig(work.dir, 'file.cfg', {
      storageType: 'file',
      storageFileDir: '/tmp/x',
      timeout: 120,
      writePolicy: 'always',
    });
    const fromFile = options(['counter', '--config', path]);
    assert.equal(fromFile.config.storageType, 'file');
    assert.equal(fromFile.config.timeout, 120);
    assert.equal(fromFile.configFile, path);
    const flags = ['counter', '--config', path, '--store', 'sqlite', '--timeout', '0.5'];
    const overridden = options([...flags, '--write-policy', 'interval', '--port', '0', '--workers', '3']);
    assert.equal(overridden.config.storageType, 'sqlite');
    assert.equal(overridden.config.timeout, 0.5);
    assert.equal(overridden.config.writePolicy, 'interval');
    assert.equal(overridden.config.storageFileDir, '/tmp/x', 'keys the flags do not touch stay');
    assert.equal(overridden.port, 0);
    assert.equal(overridden.workers, 3);
  });

  it('answers --help with the usage', () => {
    assert.deepEqual(parseCliArgs(['--help'], APPS), { help: true });
    assert.deepEqual(parseCliArgs(['counter', '-h'], APPS), { help: true });
  });

  it('refuses mistakes with one clear line', () => {
    assert.match(refusal([]).message, /which app\?/);
    assert.match(refusal(['nope']).message, /^unknown app "nope"; the apps are .*counter/);
    assert.match(refusal(['counter', 'extra']).message, /unexpected argument "extra"/);
    assert.match(refusal(['counter', '--verbose']).message, /^unknown option --verbose$/);
    assert.match(refusal(['counter', '--store']).message, /--store/);
    assert.match(refusal(['counter', '--store', 'floppy']).message, /unknown store "floppy"/);
    assert.match(refusal(['counter', '--write-policy', 'sometimes']).message, /unknown write policy/);
    assert.match(refusal(['counter', '--timeout', '0']).message, /--timeout wants minutes above 0/);
    assert.match(
      refusal(['counter', '--port', '70000']).message,
      /--port wants a whole number from 0 to 65535/,
    );
    assert.match(refusal(['counter', '--workers', '0']).message, /--workers wants a whole number from 1/);
    assert.match(refusal(['counter', '--workers', '1.5']).message, /--workers/);
  });

  it('refuses settings that do not fit together, even when each is valid', () => {
    const error = refusal(['counter', '--write-policy', 'on-shutdown']);
    assert.match(
      error.message,
      /^these settings do not fit together: writePolicy=on-shutdown .* storageType=ram/,
    );
    assert.equal(error.showUsage, false);
  });

  it('names file, line and key for a bad config file, and says when the file is missing', () => {
    const path = writeConfig(work.dir, 'typo.cfg', { timout: 120 });
    const typo = refusal(['counter', '--config', path]);
    assert.match(typo.message, new RegExp(`^${path}:2 timout: unknown key`));
    assert.equal(typo.showUsage, false);
    assert.match(
      refusal(['counter', '--config', `${work.dir}/none.cfg`]).message,
      /none\.cfg does not exist/,
    );
  });
});

describe('--transport and --locking', () => {
  it('set the transport and the locking mode', () => {
    const parsed = parseCliArgs(['name-form', '--transport', 'url', '--locking', 'none'], APPS);
    assert.ok(!parsed.help);
    assert.equal(parsed.config.transport, 'url');
    assert.equal(parsed.config.locking, 'none');
  });

  it('refuse unknown values with the allowed ones', () => {
    assert.throws(
      () => parseCliArgs(['counter', '--transport', 'pigeon'], APPS),
      /unknown transport "pigeon"; expected one of cookie, url, hidden-field/,
    );
    assert.throws(() => parseCliArgs(['counter', '--locking', 'maybe'], APPS), /unknown locking "maybe"/);
  });

  it('refuse the cookie store with the URL transport', () => {
    assert.throws(
      () => parseCliArgs(['counter', '--store', 'cookie', '--transport', 'url'], APPS),
      /transport=cookie/,
    );
  });
});
