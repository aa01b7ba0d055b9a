// The `[session]` INI file (seed §16.2) and configs built in code: the seed's files load unchanged,
// every key of ours parses, and every mistake names file, line and key.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ConfigError,
  DEFAULTS,
  defineConfig,
  loadConfigFile,
  MIN_LEASED_LOCK_TIMEOUT,
  parseConfig,
  UNSAFE_FLAWS,
  unsafeWarning,
} from './config.ts';
import { parseIni } from './ini.ts';
import { LEASE_MS } from './locks.ts';

const SECRET_A = 'a'.repeat(32);
const SECRET_B = 'b'.repeat(40);

/** Asserts a ConfigError whose message matches every pattern. */
function throwsConfig(run: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(run, (error: Error) => {
    assert.ok(error instanceof ConfigError, `${error.name}: ${error.message}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe('when the seed’s config files are read', () => {
  it('loads the RAM example: storageType=ram, timeout=120 minutes', () => {
    const config = parseConfig('[session]\nstorageType=ram\ntimeout=120\n', 'RootServer.cfg');
    assert.equal(config.storageType, 'ram');
    assert.equal(config.timeout, 120);
    assert.deepEqual({ ...config, timeout: DEFAULTS.timeout }, DEFAULTS, 'nothing else changed');
  });

  it('loads the file example: storageType=file, storageFileDir=/home/user/sessionData', () => {
    const config = parseConfig(
      '[session]\nstorageType=file\nstorageFileDir=/home/user/sessionData',
      'RootServer.cfg',
    );
    assert.equal(config.storageType, 'file');
    assert.equal(config.storageFileDir, '/home/user/sessionData');
    assert.equal(config.timeout, 60, 'the seed’s default timeout');
  });

  it('reads a file from disk, with Windows line ends, comments and spaces around =', () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-lab-config-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'RootServer.cfg');
    writeFileSync(
      path,
      '# sessions\r\n[session]\r\n; two hours\r\nstorageType = ram\r\n  timeout =  120  \r\n',
    );
    const config = loadConfigFile(path);
    assert.equal(config.storageType, 'ram');
    assert.equal(config.timeout, 120);
  });
});

describe('when every key of ours is given', () => {
  it('parses each one to its typed value', () => {
    const text = [
      '[session]',
      'storageType=postgres',
      'timeout=0.5',
      'absoluteTimeout=480',
      'storageFileDir=/var/sessions',
      'cookieName=__Host-sid',
      'cookiePath=/app',
      'cookieSameSite=strict',
      'cookiePersistent=yes',
      'cleanUpDelay=0.25',
      'locking=process',
      'lockTimeout=2.5',
      'writePolicy=interval',
      'flushInterval=3',
      'transport=cookie',
      `secret=${SECRET_A}, ${SECRET_B}`,
      'databaseUrl=postgres://postgres@127.0.0.1:5432/test',
      'showLocations=false',
      'maxSessions=500',
      'maxSessionBytes=4096',
      'trustProxy=true',
      'unsafeDemoFlaws=no-cross-site-check',
    ].join('\n');
    assert.deepEqual(parseConfig(text, 'all.cfg'), {
      storageType: 'postgres',
      timeout: 0.5,
      absoluteTimeout: 480,
      storageFileDir: '/var/sessions',
      cookieName: '__Host-sid',
      cookiePath: '/app',
      cookieSameSite: 'strict',
      cookiePersistent: true,
      cleanUpDelay: 0.25,
      locking: 'process',
      lockTimeout: 2.5,
      writePolicy: 'interval',
      flushInterval: 3,
      transport: 'cookie',
      secrets: [SECRET_A, SECRET_B],
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      showLocations: false,
      maxSessions: 500,
      maxSessionBytes: 4096,
      trustProxy: true,
      unsafeDemoFlaws: ['no-cross-site-check'],
    });
  });

  it('reads absoluteTimeout=0 and =none as no absolute limit, and the usual spellings of booleans', () => {
    assert.equal(parseConfig('[session]\nabsoluteTimeout=0', 'a.cfg').absoluteTimeout, null);
    assert.equal(parseConfig('[session]\nabsoluteTimeout=none', 'a.cfg').absoluteTimeout, null);
    for (const yes of ['true', 'YES', 'on', '1'])
      assert.equal(parseConfig(`[session]\ntrustProxy=${yes}`, 'a.cfg').trustProxy, true);
    for (const no of ['false', 'No', 'off', '0'])
      assert.equal(parseConfig(`[session]\ntrustProxy=${no}`, 'a.cfg').trustProxy, false);
  });

  it('starts from a given base and lets the file override it', () => {
    const base = { ...DEFAULTS, storageType: 'file' as const, timeout: 5 };
    const config = parseConfig('[session]\ntimeout=7', 'a.cfg', base);
    assert.equal(config.storageType, 'file');
    assert.equal(config.timeout, 7);
  });
});

describe('when the file has a mistake', () => {
  it('names file:line and key for an unknown key and lists the known keys', () => {
    throwsConfig(
      () => parseConfig('[session]\nstorageType=ram\ntimout=120', 'RootServer.cfg'),
      /^RootServer\.cfg:3 timout: unknown key/,
      /known keys are .*storageType.*timeout.*storageFileDir/,
      /\bsecret\b/,
    );
  });

  it('treats keys as case-sensitive, as the seed writes them', () => {
    throwsConfig(
      () => parseConfig('[session]\nstoragetype=ram', 'a.cfg'),
      /a\.cfg:2 storagetype: unknown key/,
    );
  });

  const bad: [string, string, RegExp][] = [
    [
      'storageType=mongo',
      'storageType',
      /got "mongo", expected one of ram, file, cookie, sqlite, postgres, mysql, redis, custom/,
    ],
    ['timeout=0', 'timeout', /got "0", expected a number above 0/],
    ['timeout=-5', 'timeout', /got "-5", expected a number above 0/],
    ['timeout=two hours', 'timeout', /got "two hours", expected a number above 0/],
    ['timeout=', 'timeout', /got "", expected a number above 0/],
    ['timeout=Infinity', 'timeout', /got "Infinity", expected a number above 0/],
    ['maxSessions=10.5', 'maxSessions', /got "10.5", expected a whole number/],
    ['trustProxy=maybe', 'trustProxy', /got "maybe", expected true or false/],
    ['showLocations=hidden', 'showLocations', /got "hidden", expected true or false/],
    ['cookieName=my session', 'cookieName', /got "my session", expected a cookie name/],
    ['cookiePath=app', 'cookiePath', /got "app", expected a path starting with \//],
    ['cookieSameSite=sometimes', 'cookieSameSite', /got "sometimes", expected one of lax, strict, none/],
    ['writePolicy=never', 'writePolicy', /expected one of on-change, always, interval, on-shutdown/],
    ['transport=carrier-pigeon', 'transport', /expected one of cookie, url, hidden-field/],
    ['locking=maybe', 'locking', /expected one of auto, process, none/],
    ['secret=short', 'secret', /got a secret of 5 characters, expected each to have at least 32/],
    ['storageFileDir=', 'storageFileDir', /got an empty value, expected some text/],
  ];
  for (const [line, key, message] of bad) {
    it(`names file:line, key, what it got and what it expected for ${line}`, () => {
      throwsConfig(
        () => parseConfig(`# header\n[session]\n${line}`, 'site.cfg'),
        new RegExp(`^site\\.cfg:3 ${key}: `),
        message,
      );
    });
  }

  it('never repeats a short secret in the message', () => {
    throwsConfig(() => parseConfig('[session]\nsecret=hunter2', 'a.cfg'), /7 characters/);
    assert.throws(
      () => parseConfig('[session]\nsecret=hunter2', 'a.cfg'),
      (error: Error) => !error.message.includes('hunter2'),
    );
  });

  it('names file:line for a line without =', () => {
    throwsConfig(
      () => parseConfig('[session]\nstorageType=ram\ntimeout 120\n', 'RootServer.cfg'),
      /^RootServer\.cfg:3: expected key=value or \[section\], got "timeout 120"/,
    );
  });

  it('names file:line for a line that starts with =', () => {
    throwsConfig(() => parseConfig('[session]\n=ram', 'a.cfg'), /^a\.cfg:2: expected key=value/);
  });
});

describe('when the file has other sections', () => {
  it('ignores them, and keys outside any section', () => {
    const text =
      'orphan=1\n[global]\nserver.socketPort=8080\ntimeout=999\n[session]\ntimeout=30\n[staticContent]\nstatic=static';
    const config = parseConfig(text, 'RootServer.cfg');
    assert.equal(config.timeout, 30);
  });

  it('keeps the line numbers of the entries it reads', () => {
    assert.deepEqual(parseIni('\n[a]\n\nk = v = w\n', 'x.cfg'), [
      { section: 'a', key: 'k', value: 'v = w', line: 4 },
    ]);
  });
});

describe('when settings do not fit together', () => {
  it('refuses writePolicy=interval or on-shutdown on RAM or the cookie store: nothing is behind them', () => {
    throwsConfig(
      () => parseConfig('[session]\nwritePolicy=interval', 'a.cfg'),
      /^a\.cfg: writePolicy=interval/,
      /storageType=ram has nothing behind it/,
    );
    throwsConfig(
      () => defineConfig({ storageType: 'cookie', writePolicy: 'on-shutdown' }),
      /^config: writePolicy=on-shutdown/,
    );
    assert.equal(defineConfig({ storageType: 'file', writePolicy: 'interval' }).writePolicy, 'interval');
  });

  it('refuses the cookie store with the url or hidden-field transport', () => {
    throwsConfig(
      () => parseConfig('[session]\nstorageType=cookie\ntransport=url', 'a.cfg'),
      /storageType=cookie keeps the data in a cookie, so it needs transport=cookie/,
    );
    throwsConfig(
      () => defineConfig({ storageType: 'cookie', transport: 'hidden-field' }),
      /needs transport=cookie/,
    );
  });

  it('refuses a lockTimeout no longer than the lease of a store that locks across processes', () => {
    throwsConfig(
      () => parseConfig('[session]\nstorageType=sqlite\nlockTimeout=5', 'a.cfg'),
      /^a\.cfg: lockTimeout=5 is too short for storageType=sqlite: its lock is a 5 s lease/,
      /Use lockTimeout = 6 or more, or locking = process/,
    );
    for (const storageType of ['file', 'postgres', 'mysql', 'redis'] as const) {
      throwsConfig(() => defineConfig({ storageType, lockTimeout: 2 }), /lockTimeout=2 is too short/);
    }
    assert.equal(MIN_LEASED_LOCK_TIMEOUT, LEASE_MS / 1000 + 1);
    assert.equal(defineConfig({ storageType: 'sqlite', lockTimeout: 6 }).lockTimeout, 6);
    // No lease to outlast: one process's queue only, or a store with no cross-process lock.
    assert.equal(defineConfig({ storageType: 'sqlite', locking: 'process', lockTimeout: 2 }).lockTimeout, 2);
    assert.equal(defineConfig({ storageType: 'ram', lockTimeout: 2 }).lockTimeout, 2);
    assert.equal(
      defineConfig({ storageType: 'file', writePolicy: 'interval', lockTimeout: 2 }).lockTimeout,
      2,
    );
  });

  it('refuses cookieSameSite=none on the cookie transport', () => {
    throwsConfig(
      () => parseConfig('[session]\ncookieSameSite=none', 'a.cfg'),
      /cookieSameSite=none needs https/,
    );
  });
});

describe('when a config is built in code', () => {
  it('starts from the defaults', () => {
    assert.deepEqual(defineConfig(), DEFAULTS);
    assert.equal(defineConfig({ timeout: 0.02 }).timeout, 0.02, 'fractions of a minute are allowed');
  });

  it('treats a field given as undefined as not given', () => {
    assert.equal(defineConfig({ timeout: undefined }).timeout, DEFAULTS.timeout);
  });

  it('checks values by the same rules as a file', () => {
    throwsConfig(() => defineConfig({ timeout: 0 }), /^config: timeout: got "0", expected a number above 0/);
    throwsConfig(() => defineConfig({ lockTimeout: Number.NaN }), /lockTimeout: got "NaN"/);
    throwsConfig(() => defineConfig({ cookieName: 'a b' }), /cookieName: got "a b", expected a cookie name/);
    throwsConfig(() => defineConfig({ secrets: ['short'] }), /^config: secret: got a secret of 5 characters/);
    throwsConfig(() => defineConfig({ maxSessions: 1.5 }), /maxSessions: got "1.5", expected a whole number/);
  });

  it('refuses a value of the wrong type instead of letting it through', () => {
    throwsConfig(
      () => defineConfig({ timeout: '30' as unknown as number }),
      /^config: timeout: got "30" \(string\), expected a number/,
    );
    throwsConfig(
      () => defineConfig({ trustProxy: 'yes' as unknown as boolean }),
      /trustProxy: got "yes" \(string\), expected a boolean/,
    );
  });

  it('refuses a key it does not know', () => {
    throwsConfig(
      () => defineConfig({ timout: 5 } as never),
      /^config: unknown key timout; known keys are .*timeout/,
    );
  });

  it('accepts a full config back, as the CLI passes one', () => {
    const config = defineConfig({ storageType: 'cookie', secrets: [SECRET_A], absoluteTimeout: 60 });
    assert.deepEqual(defineConfig({ ...config }), config);
  });
});

describe('the unsafe demo flaws (unsafeDemoFlaws)', () => {
  it('are none by default, and a comma list of known names otherwise', () => {
    assert.deepEqual(DEFAULTS.unsafeDemoFlaws, []);
    const config = parseConfig(
      '[session]\nunsafeDemoFlaws = adopt-client-ids, keep-id-at-sign-in\n',
      'demo.cfg',
    );
    assert.deepEqual(config.unsafeDemoFlaws, ['adopt-client-ids', 'keep-id-at-sign-in']);
    assert.deepEqual(parseConfig('[session]\nunsafeDemoFlaws =\n', 'demo.cfg').unsafeDemoFlaws, []);
    assert.deepEqual(defineConfig({ unsafeDemoFlaws: [...UNSAFE_FLAWS] }).unsafeDemoFlaws, [...UNSAFE_FLAWS]);
  });

  it('refuse a name outside the list, or one given twice', () => {
    throwsConfig(
      () => parseConfig('[session]\nunsafeDemoFlaws = adopt-client-ids,no-https\n', 'demo.cfg'),
      /^demo\.cfg:2 unsafeDemoFlaws: got "no-https", expected one of adopt-client-ids, keep-id-at-sign-in/,
    );
    throwsConfig(
      () => defineConfig({ unsafeDemoFlaws: ['no-cross-site-check', 'no-cross-site-check'] }),
      /unsafeDemoFlaws: got "no-cross-site-check" twice/,
    );
  });

  it('make the sandbox warn at start, naming each flaw', () => {
    assert.equal(unsafeWarning(DEFAULTS), undefined);
    const warning = unsafeWarning(defineConfig({ unsafeDemoFlaws: ['script-readable-cookie'] }));
    assert.match(warning ?? '', /UNSAFE.*script-readable-cookie/);
  });
});
