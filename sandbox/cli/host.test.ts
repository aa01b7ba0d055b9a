// A host process: several apps at their own base paths, each mounted on its first request, and a
// limit on how many it keeps that never stops one used recently.
import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import { defineConfig } from '../engine/config.ts';
import { APPS } from '../testing/apps.ts';
import { type HostLimits, type RunningHost, startHost } from './host.ts';
import { newWorkerToken, TOKEN_HEADER } from './worker-token.ts';

const hosts: RunningHost[] = [];
after(async () => {
  for (const host of hosts) await host.close();
});

const token = newWorkerToken();
const headers = { [TOKEN_HEADER]: token };
const countIn = (page: string) => Number(/<output id="count">(\d+)<\/output>/.exec(page)?.[1]);

/** A host with a counter on RAM at each of /a/, /b/ and /c/. */
async function host(limits: HostLimits = {}): Promise<string> {
  const running = await startHost({
    host: '127.0.0.1',
    token,
    ...limits,
    resolve: (path) => {
      const base = ['/a/', '/b/', '/c/'].find((b) => path.startsWith(b));
      const config = defineConfig({ storageType: 'ram', cookiePath: base, secrets: ['h'.repeat(40)] });
      return base ? { app: APPS.counter, config, base } : null;
    },
  });
  hosts.push(running);
  return `http://127.0.0.1:${running.port}`;
}

async function click(url: string, cookie = ''): Promise<{ count: number; cookie: string; status: number }> {
  const answer = await fetch(url, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
  const set = answer.headers.getSetCookie()[0]?.split(';')[0];
  return { count: countIn(await answer.text()), cookie: set ?? cookie, status: answer.status };
}

describe('startHost: several apps in one process, each at its own base path', () => {
  it('mounts each app on its first request, keeps their sessions apart, and 404s an unknown path', async () => {
    const origin = await host();
    const running = hosts.at(-1) as RunningHost;
    assert.deepEqual(running.mounted(), []);
    const a1 = await fetch(`${origin}/a/`, { headers });
    const cookie = a1.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    assert.match(await a1.text(), /<output id="count">1</);
    assert.match(
      await (await fetch(`${origin}/a/`, { headers: { ...headers, cookie } })).text(),
      /<output id="count">2</,
    );
    // Another app at /b/: its own engine and store, which never saw that session.
    assert.match(
      await (await fetch(`${origin}/b/`, { headers: { ...headers, cookie } })).text(),
      /<output id="count">1</,
    );
    assert.deepEqual(running.mounted().sort(), ['/a/', '/b/']);
    const unknown = await fetch(`${origin}/d/`, { headers });
    assert.equal(unknown.status, 404);
    await unknown.text();
    assert.equal((await fetch(`${origin}/a/`)).status, 403);
  });

  it('past maxApps, refuses a new app (503, Retry-After) while every mounted one was used recently', async () => {
    const origin = await host({ maxApps: 1, keepMinutes: 10 });
    const first = await click(`${origin}/a/`);
    const refused = await fetch(`${origin}/b/`, { headers });
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.match(await refused.text(), /role="alert"[\s\S]*in use/);
    assert.equal((await click(`${origin}/a/`, first.cookie)).count, 2, 'the app in use kept its sessions');
  });

  it('past maxApps, stops the least recently used app nobody used for keepMinutes, and logs it', async (t: TestContext) => {
    const errors = t.mock.method(console, 'error', () => {});
    const origin = await host({ maxApps: 2, keepMinutes: 0 });
    const a = await click(`${origin}/a/`);
    await click(`${origin}/b/`);
    assert.equal((await click(`${origin}/c/`)).status, 200);
    assert.deepEqual((hosts.at(-1) as RunningHost).mounted().sort(), ['/b/', '/c/']);
    const logged = errors.mock.calls.map((call) => String(call.arguments[0]));
    assert.ok(
      logged.some((line) => /stopped \/a\/ .*to make room/.test(line)),
      logged.join('\n'),
    );
    assert.equal((await click(`${origin}/a/`, a.cookie)).count, 1, 'mounted anew: its RAM sessions went');
  });
});
