import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs, {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { LockTimeoutError } from '../engine/errors.ts';
import { generateId, hashId } from '../engine/ids.ts';
import type { SessionRecord, Store } from '../engine/types.ts';
import { MemoryCookies } from '../testing/cookies.ts';
import { testStore } from '../testing/store-contract.ts';
import { fileStore, LOCK_DIR } from './file.ts';

const base = mkdtempSync(join(tmpdir(), 'session-lab-file-'));
after(() => rmSync(base, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(base, `sessions-${dirs++}`);
const cookies = new MemoryCookies();
const record = (expiresAt = Date.now() + 60_000): SessionRecord => ({
  data: { n: 1 },
  createdAt: 1,
  expiresAt,
});
const key = () => hashId(generateId());
/** Where the store keeps a key's lock file. */
const lockPath = (dir: string, k: string) => join(dir, LOCK_DIR, `${k}.lock`);
/** Every file the store left, its lock directory's as `.locks/<name>`. */
const filesIn = (dir: string) => [
  ...readdirSync(dir).filter((name) => name !== LOCK_DIR),
  ...readdirSync(join(dir, LOCK_DIR)).map((name) => `${LOCK_DIR}/${name}`),
];
const lockOf = (store: Store) => {
  if (!store.lock) throw new Error('the file store has a cross-process lock');
  return store.lock.bind(store);
};

const shared = freshDir();
testStore('file', async () => fileStore({ dir: shared, lockTimeoutSeconds: 2 }), {
  makeSecond: async () => fileStore({ dir: shared, lockTimeoutSeconds: 2 }),
  makeLeased: async ({ leaseMs, lockTimeoutSeconds }) =>
    fileStore({ dir: shared, lockTimeoutSeconds, leaseMs }),
});

describe('file store regressions', () => {
  it('never touches a path outside its directory, whatever the key (cherrypy#744, CVE-2008-0252)', async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 0.1 });
    // A valid record one level up: a store that built `<dir>/../sentinel.json` would load it.
    const sentinel = join(base, 'sentinel.json');
    const sentinelText = JSON.stringify(record());
    writeFileSync(sentinel, sentinelText);
    const before = statSync(sentinel).mtimeMs;
    const hostile = [
      '../sentinel',
      '../../etc/passwd',
      '..%2F..%2Fetc%2Fpasswd',
      '/etc/passwd',
      '..\\..\\win.ini',
      `${'a'.repeat(42)}\u0000`,
      `${'é'.repeat(43)}`,
      'x'.repeat(10_240),
      '',
      `../${key().slice(3)}`,
    ];
    for (const bad of hostile) {
      assert.equal(await store.load(bad, cookies), null, `load ${JSON.stringify(bad.slice(0, 30))}`);
      assert.equal(await store.inspect?.(bad, cookies), null);
      await assert.rejects(store.save(bad, record(), cookies), /malformed key/);
      await assert.rejects(lockOf(store)(bad), /malformed key/);
      await store.destroy?.(bad, cookies);
    }
    assert.deepEqual(filesIn(dir), [], 'nothing was created in the store directory');
    assert.equal(readFileSync(sentinel, 'utf8'), sentinelText);
    assert.equal(statSync(sentinel).mtimeMs, before);
    assert.ok(existsSync('/etc/passwd'));
  });

  it('writes by rename: one file per session, no temp file left behind', async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    const k = key();
    for (let i = 0; i < 5; i++) await store.save(k, record(), cookies);
    assert.deepEqual(filesIn(dir), [`${k}.json`]);
    const form = await store.inspect?.(k, cookies);
    assert.equal(form?.location, join(dir, `${k}.json`));
    assert.equal(form?.raw, readFileSync(join(dir, `${k}.json`), 'utf8'));
  });

  it('loads a truncated or corrupt file as null, and the sweeper removes it', async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    const [torn, junk] = [key(), key()];
    await store.save(torn, record(), cookies);
    truncateSync(join(dir, `${torn}.json`), 10);
    writeFileSync(join(dir, `${junk}.json`), '[1,2,3]');
    assert.equal(await store.load(torn, cookies), null);
    assert.equal(await store.load(junk, cookies), null);
    assert.equal(await store.sweep?.(Date.now()), 2);
    assert.deepEqual(filesIn(dir), []);
  });

  it('loads a file deleted by hand as null', async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    const k = key();
    await store.save(k, record(), cookies);
    rmSync(join(dir, `${k}.json`));
    assert.equal(await store.load(k, cookies), null);
  });

  it('breaks a lock whose process is dead, whose lease ran out, or that was left empty long ago', async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const [dead, expired, empty] = [key(), key(), key()];
    writeFileSync(
      lockPath(dir, dead),
      JSON.stringify({ pid: deadPid, expiresAt: Date.now() + 60_000, token: 'x' }),
    );
    writeFileSync(
      lockPath(dir, expired),
      JSON.stringify({ pid: process.pid, expiresAt: Date.now() - 1, token: 'x' }),
    );
    writeFileSync(lockPath(dir, empty), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath(dir, empty), old, old);
    for (const k of [dead, expired, empty]) {
      const started = Date.now();
      const release = await lockOf(store)(k);
      assert.ok(Date.now() - started < 500, 'taken at once, not after the timeout');
      assert.match(readFileSync(lockPath(dir, k), 'utf8'), new RegExp(`"pid":${process.pid}`));
      await release();
      assert.equal(existsSync(lockPath(dir, k)), false);
    }
    assert.deepEqual(filesIn(dir), [], 'no grave left behind');
  });

  it('leaves no half-written lock when its process dies taking one, so the next request need not wait out the lease', async () => {
    // kill -9 between creating a lock file and writing into it left it empty, and an empty lock can only
    // be judged by its age (a whole lease): the session was blocked that long (the load test's kill -9
    // under load). Simulated: the process "dies" right after its first file create.
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 0.5 });
    const k = key();
    const realWrite = fs.writeFileSync;
    mock.method(fs, 'writeFileSync', (path: string, _data: string, options?: object) => {
      realWrite(path, '', options);
      throw new Error('killed after the create');
    });
    syncBuiltinESMExports();
    try {
      await assert.rejects(lockOf(store)(k), /killed after the create/);
    } finally {
      mock.restoreAll();
      syncBuiltinESMExports();
    }
    const started = Date.now();
    const release = await lockOf(store)(k);
    assert.ok(Date.now() - started < 400, 'taken at once');
    await release();
  });

  it('makes its lock directory again when it was removed while running', async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    rmSync(join(dir, LOCK_DIR), { recursive: true });
    const k = key();
    const release = await lockOf(store)(k);
    assert.ok(existsSync(lockPath(dir, k)));
    await release();
    assert.deepEqual(filesIn(dir), []);
  });

  it('times out on a live lock with LockTimeoutError', async () => {
    const dir = freshDir();
    const first = fileStore({ dir, lockTimeoutSeconds: 1 });
    const second = fileStore({ dir, lockTimeoutSeconds: 0.2 });
    const k = key();
    const release = await lockOf(first)(k);
    const started = Date.now();
    await assert.rejects(lockOf(second)(k), LockTimeoutError);
    assert.ok(Date.now() - started < 1_000);
    await release();
    await (await lockOf(second)(k))();
  });

  it("a release after the lease was taken over leaves the new holder's lock alone", async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    const k = key();
    const release = await lockOf(store)(k);
    const theirs = JSON.stringify({
      pid: process.pid,
      expiresAt: Date.now() + 30_000,
      token: 'someone-else',
    });
    writeFileSync(lockPath(dir, k), theirs);
    await release();
    assert.equal(readFileSync(lockPath(dir, k), 'utf8'), theirs);
  });

  it('never loses an update between processes: 3 processes × 150 locked increments of one session = 450', async () => {
    const dir = freshDir();
    const k = key();
    const script = `
      const { fileStore } = await import(${JSON.stringify(new URL('./file.ts', import.meta.url).href)});
      const store = fileStore({ dir: ${JSON.stringify(dir)}, lockTimeoutSeconds: 10 });
      const none = { secure: false, get() {}, set() {}, delete() {} };
      for (let i = 0; i < 150; i++) {
        const release = await store.lock(${JSON.stringify(k)});
        try {
          const record = await store.load(${JSON.stringify(k)}, none);
          const n = (record?.data.n ?? 0) + 1;
          await store.save(${JSON.stringify(k)}, { data: { n }, createdAt: 1, expiresAt: Date.now() + 60000 }, none);
        } finally {
          await release();
        }
      }
      await store.close?.();`;
    const runs = Array.from(
      { length: 3 },
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
          child.on('exit', resolve);
        }),
    );
    assert.deepEqual(await Promise.all(runs), [0, 0, 0]);
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    assert.deepEqual((await store.load(k, cookies))?.data, { n: 450 });
    assert.deepEqual(filesIn(dir), [`${k}.json`], 'no lock, grave or temp file left');
  });

  it('sweeps temp files and locks left by a crash, and spares young temp files', async () => {
    const dir = freshDir();
    const store = fileStore({ dir, lockTimeoutSeconds: 1 });
    const [a, b, c] = [key(), key(), key()];
    const [oldTemp, youngTemp] = [`.${a}.1234.abcdef.tmp`, `.${b}.1234.abcdef.tmp`];
    for (const name of [oldTemp, youngTemp]) writeFileSync(join(dir, name), '{"half":');
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, oldTemp), old, old);
    writeFileSync(
      lockPath(dir, c),
      JSON.stringify({ pid: process.pid, expiresAt: Date.now() - 1, token: 'x' }),
    );
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    assert.equal(await store.sweep?.(Date.now()), 0);
    assert.deepEqual(filesIn(dir).sort(), [youngTemp, 'notes.txt'].sort());
  });
});
