// `npm run sandbox` sends its security headers on every answer: pages, the app's own 404, the engine's
// cross-site 403 and 413, the inspector's JSON, the round-robin proxy's 502; a transport's own header wins.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defineConfig } from '../engine/config.ts';
import { APPS } from '../testing/apps.ts';
import { roundRobinProxy } from './proxy.ts';
import { DEMO_CONTENT_SECURITY_POLICY, DEMO_SECURITY_HEADERS } from './security-headers.ts';
import { type RunningServer, startServer } from './server.ts';

function assertSecurityHeaders(response: Response, what: string, except: string[] = []): void {
  for (const [name, value] of Object.entries(DEMO_SECURITY_HEADERS)) {
    if (!except.includes(name)) assert.equal(response.headers.get(name), value, `${what}: ${name}`);
  }
}

describe('the policy of the demo pages', () => {
  it('allows no script, no plugin and no framing by another site', () => {
    assert.match(DEMO_CONTENT_SECURITY_POLICY, /^default-src 'none'; /);
    assert.doesNotMatch(DEMO_CONTENT_SECURITY_POLICY, /script-src/, 'scripts fall back to none');
    for (const part of ["frame-ancestors 'self'", "form-action 'self'", "base-uri 'none'"])
      assert.ok(DEMO_CONTENT_SECURITY_POLICY.includes(part), part);
  });
});

describe('a sandbox server (npm run sandbox -- name-form)', () => {
  let server: RunningServer;
  let urlServer: RunningServer;
  before(async () => {
    server = await startServer({ app: APPS['name-form'], config: defineConfig({}) });
    urlServer = await startServer({ app: APPS['name-form'], config: defineConfig({ transport: 'url' }) });
  });
  after(async () => {
    await server.close();
    await urlServer.close();
  });

  it('sends them with its pages, its 404, the inspector, a refused cross-site POST and a 413', async () => {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    assertSecurityHeaders(page, 'page');
    const missing = await fetch(`${server.url}nowhere`);
    assert.equal(missing.status, 404);
    assertSecurityHeaders(missing, '404');
    assertSecurityHeaders(await fetch(`${server.url}_inspect`), '_inspect');
    const forged = await fetch(`${server.url}save`, {
      method: 'POST',
      headers: { origin: 'https://evil.test', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'firstName=Mallory&lastName=Evil',
    });
    assert.equal(forged.status, 403);
    assertSecurityHeaders(forged, '403');
    const huge = await fetch(`${server.url}save`, { method: 'POST', body: 'x'.repeat(1_048_577) });
    assert.equal(huge.status, 413);
    assertSecurityHeaders(huge, '413');
  });

  it("keeps the URL transport's no-referrer: its links hold the id", async () => {
    const page = await fetch(urlServer.url);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assertSecurityHeaders(page, 'url transport', ['referrer-policy']);
  });

  it("sends them with the round-robin proxy's page for a worker that is down", async () => {
    const proxy = roundRobinProxy(
      '127.0.0.1',
      () => [{ number: 1, pid: undefined, port: undefined, state: 'down' }],
      { token: 'unused', guard: false },
    );
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    try {
      const address = proxy.server.address() as { port: number };
      const down = await fetch(`http://127.0.0.1:${address.port}/`);
      assert.equal(down.status, 502);
      assertSecurityHeaders(down, '502');
    } finally {
      proxy.close();
    }
  });
});
