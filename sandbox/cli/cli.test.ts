// The sandbox CLI as a user runs it: real processes, real ports (port 0), real kill -9.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  countOf,
  httpClient,
  killAll,
  runCli,
  sleep,
  startCli,
  stopCli,
  tempDir,
  waitFor,
  writeConfig,
} from '../testing/cli-harness.ts';
import { skipUnless } from '../testing/servers.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';

const noPostgres = await skipUnless('postgres');
const work = tempDir('cli');
after(() => {
  killAll();
  work.remove();
});

describe('npm run sandbox -- counter', () => {
  it('prints its URL and settings, counts 1, 2, 3, and shows the session at /_inspect', async () => {
    const run = await startCli(['counter', '--port', '0'], work.dir);
    assert.match(
      run.stdout(),
      new RegExp(`^Session Lab sandbox: counter \\(Page-view counter\\) at ${run.url}\n`),
    );
    assert.match(run.stdout(), /store\s+ram: memory of this process/);
    assert.match(run.stdout(), /sessions\s+transport cookie, timeout 60 min idle\n/);
    assert.match(run.stdout(), /saving\s+write policy on-change, locking auto\n/);
    assert.match(run.stdout(), new RegExp(`processes\\s+1 \\(pid ${run.child.pid}\\)`));
    const client = httpClient(run.url);
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(countOf((await client.get('/')).text));
    assert.deepEqual(counts, [1, 2, 3]);

    const inspected = await client.get('/_inspect');
    const body = JSON.parse(inspected.text);
    assert.equal(body.store, 'ram');
    assert.deepEqual(body.data, { pageViews: 3 });
    const id = [...client.jar.values.values()][0] as string;
    assert.match(body.id, /…/);
    assert.ok(!body.id.includes(id), 'the inspector masks the id');
    assert.match(body.stored.raw, /"pageViews":3/);

    // Ctrl-C: a clean stop with exit code 0.
    assert.deepEqual(await stopCli(run, 'SIGINT'), { code: 0, signal: null });
  });

  it('refuses an unknown app with exit code 2, one clear line and the usage', async () => {
    const { code, stderr } = await runCli(['countr'], work.dir);
    assert.equal(code, 2);
    assert.match(stderr, /^session-lab: unknown app "countr"; the apps are .*counter/);
    assert.match(stderr, /usage: npm run sandbox -- <app>/);
  });

  it('refuses an unknown store and an unknown flag with exit code 2', async () => {
    const store = await runCli(['counter', '--store', 'floppy'], work.dir);
    assert.equal(store.code, 2);
    assert.match(store.stderr, /unknown store "floppy"; the stores are ram, file/);
    const flag = await runCli(['counter', '--colour'], work.dir);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /^session-lab: unknown option --colour\n/);
  });

  it('refuses a bad config file with exit code 2, naming file:line and the key', async () => {
    const path = writeConfig(work.dir, 'floppy.cfg', { timeout: 30, storageType: 'floppy' });
    const { code, stderr } = await runCli(['counter', '--config', path], work.dir);
    assert.equal(code, 2);
    assert.match(stderr, new RegExp(`${path}:3 storageType: got "floppy", expected one of ram, file`));
  });
});

describe('npm run sandbox -- counter --store cookie (no secret configured)', () => {
  it('generates a secret into .data/cookie-secret, shares it with every worker and keeps it for the next run', async () => {
    const cwd = tempDir('cookie');
    try {
      const env = { SESSION_LAB_SECRET: '' };
      const args = ['counter', '--port', '0', '--store', 'cookie'];
      const run = await startCli([...args, '--workers', '2'], cwd.dir, env);
      const file = join(cwd.dir, '.data/cookie-secret');
      assert.match(
        run.stdout(),
        new RegExp(`note\\s+cookie secret generated and kept in ${file} \\(mode 0600`),
      );
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const client = httpClient(run.url);
      const workers = new Set<string | null>();
      const counts = [];
      for (let i = 0; i < 4; i++) {
        const sent = await client.get('/');
        workers.add(sent.response.headers.get('x-session-lab-worker'));
        counts.push(countOf(sent.text));
      }
      assert.deepEqual(counts, [1, 2, 3, 4], 'both workers open the cookie: one secret');
      assert.equal(workers.size, 2);
      assert.deepEqual(await stopCli(run, 'SIGTERM'), { code: 0, signal: null });

      const again = await startCli(args, cwd.dir, env);
      assert.match(again.stdout(), new RegExp(`note\\s+cookie secret read from ${file}`));
      assert.equal(countOf((await sameBrowser(client, again.url).get('/')).text), 5);
      await stopCli(again);
    } finally {
      cwd.remove();
    }
  });
});

/** Starts the counter with `entries` as its config and returns it with a client. */
async function counterWith(name: string, entries: Record<string, string | number>) {
  const path = writeConfig(work.dir, `${name}.cfg`, entries);
  const start = () => startCli(['counter', '--port', '0', '--config', path], work.dir);
  return { start, run: await start() };
}

async function increment(client: ReturnType<typeof httpClient>, times: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < times; i++) {
    const sent = await client.get('/');
    assert.equal(sent.response.status, 200, sent.text);
    count = countOf(sent.text);
  }
  return count;
}

/** The same cookie jar, pointed at the restarted process's new port. */
function sameBrowser(client: ReturnType<typeof httpClient>, url: string) {
  const next = httpClient(url);
  for (const [name, value] of client.jar.values) next.jar.values.set(name, value);
  return next;
}

describe('a crash (kill -9) after 3 acknowledged increments, per write policy', () => {
  for (const [policy, store] of [
    ['on-change', 'file'],
    ['always', 'sqlite'],
  ] as const) {
    it(`${policy} (${store}): all 3 survive the restart`, async () => {
      const place: Record<string, string> =
        store === 'file'
          ? { storageFileDir: join(work.dir, policy) }
          : { databaseUrl: join(work.dir, `${policy}.sqlite`) };
      const { start, run } = await counterWith(policy, { storageType: store, writePolicy: policy, ...place });
      const client = httpClient(run.url);
      assert.equal(await increment(client, 3), 3);
      await stopCli(run, 'SIGKILL');
      const again = await start();
      assert.equal(await increment(sameBrowser(client, again.url), 1), 4);
      await stopCli(again);
    });
  }

  it('interval (file, every 1 s): what was flushed survives, what came after is lost', async () => {
    const { start, run } = await counterWith('interval', {
      storageType: 'file',
      storageFileDir: join(work.dir, 'interval'),
      writePolicy: 'interval',
      flushInterval: 1,
    });
    assert.match(run.stdout(), /write policy interval \(RAM, written behind every 1 s\)/);
    const client = httpClient(run.url);
    assert.equal(await increment(client, 3), 3);
    // Wait until the flush has happened (the inspector says the RAM copy is written), so the next flush
    // is about a second away: the 2 increments below land in RAM only, and kill -9 takes them along.
    const flushed = Date.now() + 5_000;
    let state = '';
    while (state !== 'written' && Date.now() < flushed) {
      await sleep(50);
      state = JSON.parse((await client.get('/_inspect')).text).stored?.details?.changesInRam;
    }
    assert.equal(state, 'written', 'a flush happened within 5 s');
    assert.equal(await increment(client, 2), 5);
    await stopCli(run, 'SIGKILL');
    const again = await start();
    assert.equal(await increment(sameBrowser(client, again.url), 1), 4, '3 flushed survive, 2 are lost');
    await stopCli(again);
  });

  it('on-shutdown (sqlite): kill -9 loses everything since start; SIGTERM keeps it all', async () => {
    const { start, run } = await counterWith('on-shutdown', {
      storageType: 'sqlite',
      databaseUrl: join(work.dir, 'on-shutdown.sqlite'),
      writePolicy: 'on-shutdown',
    });
    const client = httpClient(run.url);
    assert.equal(await increment(client, 3), 3);
    await stopCli(run, 'SIGKILL');

    const second = await start();
    const browser = sameBrowser(client, second.url);
    const oldCookie = [...browser.jar.values.values()][0];
    assert.equal(await increment(browser, 1), 1, 'a fresh session: nothing was ever written');
    assert.notEqual([...browser.jar.values.values()][0], oldCookie, 'the unknown id was replaced');
    assert.equal(await increment(browser, 2), 3);
    assert.deepEqual(await stopCli(second, 'SIGTERM'), { code: 0, signal: null });

    const third = await start();
    assert.equal(await increment(sameBrowser(browser, third.url), 1), 4, 'SIGTERM wrote all 3');
    await stopCli(third);
  });
});

describe('a store that is down at start', () => {
  it('serves anyway: a one-line warning, then 503 pages naming the variable, no crash', async () => {
    const run = await startCli(['counter', '--port', '0', '--store', 'postgres'], work.dir, {
      SESSION_LAB_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/test',
    });
    assert.match(run.stdout(), /store\s+postgres: postgres:\/\/postgres@127\.0\.0\.1:1\/test/);
    await waitFor(() => run.stderr().includes('warning'), 5_000, `no warning; stderr: ${run.stderr()}`);
    assert.match(run.stderr(), /^\[session-lab\] warning: \[postgres\] .*serving anyway[^\n]*\n$/);
    const client = httpClient(run.url);
    for (let i = 0; i < 2; i++) {
      const sent = await client.get('/');
      assert.equal(sent.response.status, 503);
      assert.match(sent.text, /The session store is not available/);
      assert.match(sent.text, /SESSION_LAB_POSTGRES_URL/);
    }
    assert.equal(run.child.exitCode, null, 'still running');
    await stopCli(run);
  });

  it('recovers once the server answers (a TCP relay to PostgreSQL, down then up)', {
    skip: noPostgres,
  }, async () => {
    const relay = await startTcpProxy('127.0.0.1', 5432);
    relay.down();
    try {
      const run = await startCli(['counter', '--port', '0', '--store', 'postgres'], work.dir, {
        SESSION_LAB_POSTGRES_URL: `postgres://postgres@127.0.0.1:${relay.port}/test`,
      });
      const client = httpClient(run.url);
      assert.equal((await client.get('/')).response.status, 503);
      relay.up();
      const sent = await client.get('/');
      assert.equal(sent.response.status, 200, sent.text);
      assert.equal(countOf(sent.text), 1);
      assert.equal(countOf((await client.get('/')).text), 2);
      await stopCli(run);
    } finally {
      await relay.close();
    }
  });
});
