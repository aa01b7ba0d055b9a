// The demo processes under visitors (issue 11 §3, §5): no visitor's requests stop a demo another used
// recently, every stop is logged, and the demo processes answer only the site in front of them.
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type Isolated, isolate, serve } from '../../acceptance-harness.ts';
import { createLab, type Lab } from '../../lab-server.ts';
import { DemoManager } from './manager.ts';
import { offeredBases } from './offered.ts';
import { createLabRouter } from './router.ts';
import { parseLabPath, type Variant } from './variant.ts';

const countOf = (page: string) => Number(/<output id="count">(\d+)<\/output>/.exec(page)?.[1]);
const variantAt = (base: string): Variant => {
  const parsed = parseLabPath(base);
  assert.ok(parsed, base);
  return parsed.variant;
};
const isRunning = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let isolated: Isolated;
const closers: (() => Promise<unknown>)[] = [];
before(async () => {
  isolated = await isolate({ servers: [] });
});
after(async () => {
  for (const close of closers.reverse()) await close();
  await isolated.cleanup();
});

async function site(manager: DemoManager | Lab, publicMode: boolean) {
  const router =
    manager instanceof DemoManager
      ? createLabRouter({ manager, controls: !publicMode, publicMode })
      : manager.router;
  const { origin, server } = await serve(router);
  closers.push(async () => {
    server.close();
    await (manager instanceof DemoManager ? manager.stopAll() : manager.stop());
  });
  return origin;
}

function publicLab(): Lab {
  return createLab({ PUBLIC: '1', SESSION_LAB_SECRET: 'p'.repeat(40), SESSION_LAB_RATE_LIMIT: '1000' });
}

/**
 * Twenty one-worker variants other than counter/ram/std, more than public mode's old cap of 16: ones the
 * site's pages offer (a public site serves no other), on stores that need no server.
 */
const OTHERS = [...offeredBases()]
  .filter((base) => /^\/lab\/[^/]+\/(ram|file|cookie|sqlite|custom)\//.test(base) && !base.includes('w2'))
  .filter((base) => base !== '/lab/counter/ram/std/')
  .slice(0, 20);

describe('public mode (PUBLIC=1): visitors cannot stop each other’s demos', () => {
  it("keeps a visitor's RAM session on counter/ram/std while others open 20 other demos", async () => {
    const origin = await site(publicLab(), true);
    const base = `${origin}/lab/counter/ram/std/`;
    const first = await fetch(base);
    const cookie = first.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    assert.equal(countOf(await first.text()), 1);
    assert.equal(countOf(await (await fetch(base, { headers: { cookie } })).text()), 2);
    // Another visitor goes through every other demo.
    assert.equal(OTHERS.length, 20);
    for (const other of OTHERS) {
      const answer = await fetch(`${origin}${other}`);
      const text = await answer.text();
      assert.equal(answer.status, 200, `${other}: ${text}`);
    }
    const back = await fetch(base, { headers: { cookie } });
    assert.equal(back.status, 200);
    assert.equal(countOf(await back.text()), 3, 'the first visitor’s session is still there');
  });

  it('names no worker port in /lab-api/status, and a worker refuses a request that bypasses the site', async () => {
    const lab = publicLab();
    const origin = await site(lab, true);
    const base = '/lab/counter/ram/std/';
    assert.equal((await fetch(`${origin}${base}`)).status, 200);
    const status = (await (await fetch(`${origin}/lab-api/status?variant=counter/ram/std`)).json()) as {
      workers: Record<string, unknown>[];
    };
    assert.ok(status.workers.length > 0);
    for (const worker of status.workers) assert.equal('port' in worker, false, JSON.stringify(worker));

    const group = await lab.manager.sandbox(variantAt(base));
    const worker = group.workers[0];
    assert.ok(worker?.port);
    for (const port of [worker.port, group.port]) {
      const attempts: Record<string, string>[] = [{}, { 'x-session-lab-token': 'guess' }];
      for (const headers of attempts) {
        const direct = await fetch(`http://127.0.0.1:${port}${base}`, { headers });
        assert.equal(direct.status, 403, `port ${port} with ${JSON.stringify(headers)}`);
        assert.match(await direct.text(), /role="alert"/);
      }
    }
    const through = await fetch(`${origin}${base}`);
    assert.equal(through.status, 200);
    assert.ok(countOf(await through.text()) >= 1);
  });
  it('restarts the shared host process after a crash, and says so in each hosted demo’s events', async () => {
    const lab = publicLab();
    const origin = await site(lab, true);
    const base = '/lab/counter/ram/std/';
    assert.equal((await fetch(`${origin}${base}`)).status, 200);
    const variant = variantAt(base);
    const before = (await lab.manager.status(variant)).workers[0]?.pid;
    assert.ok(isRunning(before));
    process.kill(before as number, 'SIGKILL');
    let status = await lab.manager.status(variant);
    for (let waited = 0; waited < 15_000; waited += 100) {
      const [now] = status.workers;
      if (now?.state === 'ready' && now.pid !== before && status.events.some((e) => /is back/.test(e.text)))
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await lab.manager.status(variant);
    }
    const texts = status.events.map((e) => e.text).join('\n');
    assert.match(texts, new RegExp(`\\(pid ${before}\\) killed by SIGKILL`));
    assert.match(texts, /is back as pid \d+ \(the process shared by the demos\)/);
    const back = await fetch(`${origin}${base}`);
    assert.equal(back.status, 200);
    assert.equal(countOf(await back.text()), 1, 'a new process: its RAM sessions started empty');
  });
});

describe('demos with processes of their own', () => {
  it('refuses a new one past the cap (503, Retry-After) rather than stop one used recently', async () => {
    const manager = new DemoManager({
      maxRunning: 1,
      idleMinutes: 15,
      hostVariants: true,
      protectMinutes: 10,
    });
    const origin = await site(manager, true);
    const used = '/lab/counter/file/w2/';
    assert.equal((await fetch(`${origin}${used}`)).status, 200);
    const pids = (await manager.status(variantAt(used))).workers.map((w) => w.pid);
    assert.equal(pids.length, 2);

    const refused = await fetch(`${origin}/lab/counter/ram/w2/`);
    assert.equal(refused.status, 503);
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 600, `Retry-After ${retry}`);
    assert.match(await refused.text(), /role="alert"[\s\S]*in use/);

    const still = (await manager.status(variantAt(used))).workers;
    assert.deepEqual(
      still.map((w) => w.pid),
      pids,
    );
    assert.ok(still.every((w) => w.state === 'ready' && isRunning(w.pid)));
    assert.equal((await fetch(`${origin}${used}`)).status, 200);
  });

  it('logs a stop to make room, on the console and in the demo’s events (local mode)', async (t: TestContext) => {
    const errors = t.mock.method(console, 'error', () => {});
    const manager = new DemoManager({ maxRunning: 1, idleMinutes: 15 });
    closers.push(() => manager.stopAll());
    const first = variantAt('/lab/counter/ram/std/');
    const pid = (await manager.sandbox(first)).workers[0]?.pid;
    await manager.sandbox(variantAt('/lab/counter/ram/url/'));
    let events: string[] = [];
    for (let waited = 0; waited < 10_000; waited += 100) {
      events = (await manager.status(first)).events.map((e) => e.text);
      if (events.some((text) => text.startsWith('stopped'))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      events.some((text) => /^stopped \(to make room for counter\/ram\/url/.test(text)),
      events.join('\n'),
    );
    const logged = errors.mock.calls.map((call) => String(call.arguments[0]));
    assert.ok(
      logged.some((line) => line.includes('demo counter/ram/std stopped')),
      logged.join('\n'),
    );
    assert.equal(isRunning(pid), false);
  });
});
