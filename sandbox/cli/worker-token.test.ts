import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { defineConfig } from '../engine/config.ts';
import { startHost } from './host.ts';
import { newWorkerToken, requireToken, TOKEN_HEADER } from './worker-token.ts';

const servers: { close(): unknown }[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

async function listening(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('requireToken', () => {
  const token = newWorkerToken();
  // Echoes what the app would see of the request's headers.
  const echo = requireToken(token, (req, res) => {
    res.end(JSON.stringify({ headers: req.headers, raw: req.rawHeaders }));
  });

  it('refuses a request without the token, or with a wrong one, with a 403 page', async () => {
    const url = await listening(createServer(echo));
    for (const headers of [{}, { [TOKEN_HEADER]: 'x' }, { [TOKEN_HEADER]: `${token.slice(0, -1)}A` }]) {
      const answer = await fetch(url, { headers });
      assert.equal(answer.status, 403, JSON.stringify(headers));
      assert.match(await answer.text(), /role="alert"/);
    }
  });

  it('passes a request with the token on, without the token in either view of its headers', async () => {
    const url = await listening(createServer(echo));
    const answer = await fetch(url, { headers: { [TOKEN_HEADER]: token, 'x-other': 'kept' } });
    assert.equal(answer.status, 200);
    const seen = (await answer.json()) as { headers: Record<string, string>; raw: string[] };
    assert.equal(seen.headers['x-other'], 'kept');
    assert.equal(TOKEN_HEADER in seen.headers, false);
    assert.equal(
      seen.raw.some((name) => name.toLowerCase() === TOKEN_HEADER),
      false,
    );
    assert.equal(JSON.stringify(seen).includes(token), false);
  });
});

describe('startHost: several apps in one process, each at its own base path', () => {
  it('mounts each app on its first request, keeps their sessions apart, and 404s an unknown path', async () => {
    const token = newWorkerToken();
    const config = (base: string) =>
      defineConfig({ storageType: 'ram', cookiePath: base, secrets: ['h'.repeat(40)] });
    const host = await startHost({
      host: '127.0.0.1',
      token,
      resolve: (path) => {
        const base = ['/a/', '/b/'].find((b) => path.startsWith(b));
        return base ? { appName: 'counter', config: config(base), base } : null;
      },
    });
    servers.push(host);
    const origin = `http://127.0.0.1:${host.port}`;
    const headers = { [TOKEN_HEADER]: token };
    assert.deepEqual(host.mounted(), []);
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
    assert.deepEqual(host.mounted().sort(), ['/a/', '/b/']);
    const unknown = await fetch(`${origin}/c/`, { headers });
    assert.equal(unknown.status, 404);
    await unknown.text();
    assert.equal((await fetch(`${origin}/a/`)).status, 403);
  });
});
