// Several worker processes behind the supervisor's round-robin proxy: what a per-process store loses,
// what a shared store keeps, locking across processes over real HTTP, and crash/restart of a worker.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defineConfig, type SessionConfig } from '../engine/config.ts';
import { APPS_MODULE } from '../testing/apps.ts';
import {
  bounded,
  countOf,
  httpClient,
  killAll,
  startCli,
  stopCli,
  tempDir,
  waitFor,
} from '../testing/cli-harness.ts';
import type { TestClient } from '../testing/client.ts';
import { skipUnless } from '../testing/servers.ts';
import { WORKER_HEADER } from './proxy.ts';
import { type Sandbox, startSandbox } from './supervisor.ts';
import { TOKEN_HEADER } from './worker-token.ts';

const work = tempDir('supervisor');
const sandboxes: Sandbox[] = [];
after(async () => {
  killAll();
  await Promise.all(sandboxes.map((sandbox) => bounded(sandbox.stop(), 15_000, 'sandbox did not stop')));
  work.remove();
});

async function sandboxWith(
  config: SessionConfig,
  extra: { autoRestart?: boolean; log?: (line: string) => void; guardProxy?: boolean } = {},
) {
  const sandbox = await startSandbox({
    appsModule: APPS_MODULE,
    appName: 'counter',
    config,
    workers: 2,
    ...extra,
  });
  sandboxes.push(sandbox);
  return sandbox;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function countAndWorker(client: TestClient): Promise<[number, string]> {
  const sent = await client.get('/');
  assert.equal(sent.response.status, 200, sent.text);
  return [countOf(sent.text), sent.response.headers.get(WORKER_HEADER) ?? ''];
}

describe('npm run sandbox -- counter --workers 2 (RAM)', () => {
  it("alternates between two processes, and neither knows the other's session", async () => {
    const run = await startCli(['counter', '--port', '0', '--workers', '2'], work.dir);
    const pids = [...run.stdout().matchAll(/#\d pid (\d+) port \d+/g)].map((m) => Number(m[1]));
    assert.equal(pids.length, 2, run.stdout());
    const client = httpClient(run.url);
    const seen: [number, string][] = [];
    const ids = new Set<string>();
    for (let i = 0; i < 6; i++) {
      seen.push(await countAndWorker(client));
      ids.add([...client.jar.values.values()][0] as string);
    }
    // Each request lands on the other process, whose RAM has never seen the id: it is refused as
    // unknown (never adopted) and a fresh session starts. With RAM, two processes never count past 1.
    assert.deepEqual(
      seen.map(([count]) => count),
      [1, 1, 1, 1, 1, 1],
    );
    assert.equal(ids.size, 6, 'a new id each time');
    const workers = seen.map(([, pid]) => Number(pid));
    assert.deepEqual(new Set(workers), new Set(pids));
    for (let i = 1; i < workers.length; i++) assert.notEqual(workers[i], workers[i - 1]);

    // A worker that dies is reported on stderr and restarted.
    process.kill(pids[0] as number, 'SIGKILL');
    await waitFor(() => /is back as pid \d+/.test(run.stderr()), 10_000, `no restart: ${run.stderr()}`);
    assert.match(run.stderr(), new RegExp(`worker #1 \\(pid ${pids[0]}\\) killed by SIGKILL; restarting it`));
    for (let i = 0; i < 2; i++) assert.equal((await client.get('/')).response.status, 200);

    // kill -9 of the supervisor takes its workers along (they see the IPC channel close).
    const newPid = Number(/is back as pid (\d+)/.exec(run.stderr())?.[1]);
    await stopCli(run, 'SIGKILL');
    await waitFor(() => !isRunning(newPid) && !isRunning(pids[1] as number), 10_000, 'orphaned workers');
  });
});

describe('the inspector behind two workers', () => {
  it('asks the worker that served the last page, and takes no turn of the rotation', async () => {
    const run = await startCli(['counter', '--port', '0', '--workers', '2'], work.dir);
    const client = httpClient(run.url);
    const pages: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [, pagePid] = await countAndWorker(client);
      pages.push(pagePid);
      const inspected = await client.get('/_inspect');
      assert.equal(
        inspected.response.headers.get(WORKER_HEADER),
        pagePid,
        'the inspector asked the same process',
      );
      assert.equal(JSON.parse(inspected.text).live, true, 'that process knows the session it just made');
    }
    for (let i = 1; i < pages.length; i++) assert.notEqual(pages[i], pages[i - 1], 'pages still alternate');
    await stopCli(run, 'SIGTERM');
  });
});

const SHARED: { name: string; skip: string | false; config: Partial<SessionConfig> }[] = [
  { name: 'file', skip: false, config: { storageType: 'file', storageFileDir: join(work.dir, 'sessions') } },
  {
    name: 'sqlite',
    skip: false,
    config: { storageType: 'sqlite', databaseUrl: join(work.dir, 'sessions.sqlite') },
  },
  { name: 'postgres', skip: await skipUnless('postgres'), config: { storageType: 'postgres' } },
  { name: 'mysql', skip: await skipUnless('mysql'), config: { storageType: 'mysql' } },
  { name: 'redis', skip: await skipUnless('redis'), config: { storageType: 'redis' } },
];

for (const store of SHARED) {
  describe(`two workers sharing the ${store.name} store`, { skip: store.skip }, () => {
    let sandbox: Sandbox;

    it('count one session 1..6 across both processes', async () => {
      sandbox = await sandboxWith(defineConfig(store.config));
      const client = httpClient(sandbox.url);
      const seen: [number, string][] = [];
      for (let i = 0; i < 6; i++) seen.push(await countAndWorker(client));
      assert.deepEqual(
        seen.map(([count]) => count),
        [1, 2, 3, 4, 5, 6],
      );
      assert.equal(new Set(seen.map(([, pid]) => pid)).size, 2, 'both workers answered');
    });

    it('lose no update: 5 clients sharing one cookie × 30 parallel increments = 150', async () => {
      const first = httpClient(sandbox.url);
      assert.equal((await countAndWorker(first))[0], 1);
      const clients = Array.from({ length: 5 }, () => {
        const client = httpClient(sandbox.url);
        for (const [name, value] of first.jar.values) client.jar.values.set(name, value);
        return client;
      });
      const sent = await Promise.all(
        clients.flatMap((client) => Array.from({ length: 30 }, () => client.get('/'))),
      );
      assert.deepEqual(
        sent.filter((s) => s.response.status !== 200).map((s) => s.text),
        [],
      );
      const counts = sent.map((s) => countOf(s.text)).sort((a, b) => a - b);
      assert.deepEqual(
        counts,
        Array.from({ length: 150 }, (_, i) => i + 2),
        'each increment saw a distinct count',
      );
      const inspected = JSON.parse((await first.get('/_inspect')).text);
      assert.deepEqual(inspected.data, { pageViews: 151 });
    });
  });
}

describe('startSandbox: crash and restart a worker (the API the site uses)', () => {
  it('killWorker leaves a 502 page behind without autoRestart; restartWorker brings it back', async () => {
    const log: string[] = [];
    const sandbox = await sandboxWith(
      defineConfig({ storageType: 'file', storageFileDir: join(work.dir, 'crash') }),
      { autoRestart: false, log: (line) => log.push(line) },
    );
    const [before] = sandbox.workers;
    await sandbox.killWorker(0, 'SIGKILL');
    assert.equal(isRunning(before?.pid as number), false);
    assert.deepEqual(sandbox.workers[0], { pid: before?.pid, port: undefined, state: 'down' });
    assert.match(log.join('\n'), new RegExp(`worker #1 \\(pid ${before?.pid}\\) killed by SIGKILL$`));

    const client = httpClient(sandbox.url);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const sent = await client.get('/');
      statuses.push(sent.response.status);
      if (sent.response.status === 502) {
        assert.match(sent.text, /This request reached a process that is down/);
        assert.match(sent.text, new RegExp(`worker #1 \\(pid ${before?.pid}\\)`));
      } else assert.equal(sent.response.headers.get(WORKER_HEADER), String(sandbox.workers[1]?.pid));
    }
    assert.deepEqual(statuses.sort(), [200, 200, 502, 502], 'not re-routed: every other request fails');

    const restarted = await sandbox.restartWorker(0);
    assert.equal(restarted.state, 'ready');
    assert.notEqual(restarted.pid, before?.pid);
    const counts = [];
    for (let i = 0; i < 2; i++) counts.push(await countAndWorker(client));
    // The file store is shared, so the session outlived the crash of one of its processes.
    assert.deepEqual(
      counts.map(([count]) => count),
      [3, 4],
    );
    assert.deepEqual(
      new Set(counts.map(([, pid]) => Number(pid))),
      new Set(sandbox.workers.map((w) => w.pid)),
    );

    const pids = sandbox.workers.map((w) => w.pid as number);
    await sandbox.stop();
    assert.deepEqual(pids.filter(isRunning), [], 'stop() ends every worker');
  });
});

describe('startSandbox: only the one in front reaches the workers', () => {
  it("answers a direct request to a worker's port, or to a guarded proxy, without the token with 403", async () => {
    const sandbox = await sandboxWith(defineConfig({ storageType: 'ram' }), { guardProxy: true });
    const ports = [...sandbox.workers.map((w) => w.port), sandbox.port];
    for (const port of ports) {
      const direct = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(direct.status, 403, `port ${port}`);
      await direct.text();
    }
    // The proxy, given the token, passes it on to the worker it picks.
    const through = await fetch(sandbox.url, { headers: { [TOKEN_HEADER]: sandbox.token } });
    assert.equal(through.status, 200);
    assert.equal(countOf(await through.text()), 1);
  });
});
