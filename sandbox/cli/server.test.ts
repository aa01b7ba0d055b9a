// One lesson app behind node:http (startServer): what it tells at start, and HEAD over a real socket.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { defineConfig } from '../engine/config.ts';
import { pathMatches } from '../engine/cookie-path.ts';
import { APPS } from '../testing/apps.ts';
import { startServer } from './server.ts';

/** A HEAD over a socket (fetch hides whether a body came). */
function head(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; bytes: number }>(
    (resolve, reject) => {
      const req = request(url, { method: 'HEAD', headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('HEAD on a sandbox server', () => {
  it('is answered as the GET would be, Set-Cookie included, with no body; it counts as that GET', async () => {
    const server = await startServer({ app: APPS.counter, config: defineConfig({}) });
    try {
      const first = await head(server.url);
      assert.equal(first.status, 200);
      assert.equal(first.bytes, 0);
      assert.match(String(first.headers['content-type']), /^text\/html/);
      const [cookie] = (first.headers['set-cookie'] as string[] | undefined) ?? [];
      assert.match(cookie ?? '', /^session_lab_id=[\w-]{43};/);
      const id = (cookie ?? '').split(';')[0] ?? '';
      const page = await (await fetch(server.url, { headers: { cookie: id } })).text();
      assert.match(page, /<output id="count">2</, 'the HEAD was the first view');
      const name = await startServer({ app: APPS['name-form'], config: defineConfig({}) });
      try {
        const answered = await head(`${name.url}page2`);
        assert.equal(answered.status, 200);
        assert.equal(answered.bytes, 0);
      } finally {
        await name.close();
      }
    } finally {
      await server.close();
    }
  });
});

describe('a cookiePath that does not cover the app', () => {
  it('is warned about at start; one that covers it is not', async () => {
    const cases = [
      { cookiePath: '/admin', base: '/', warned: true },
      { cookiePath: '/app/page2', base: '/app/', warned: true },
      { cookiePath: '/ap', base: '/app/', warned: true },
      { cookiePath: '/', base: '/', warned: false },
      { cookiePath: '/app', base: '/app/', warned: false },
      { cookiePath: '/app/', base: '/app/', warned: false },
    ];
    for (const { cookiePath, base, warned } of cases) {
      const server = await startServer({ app: APPS.counter, config: defineConfig({ cookiePath }), base });
      try {
        const warning = server.warnings.find((line) => line.includes('cookiePath'));
        assert.equal(warning !== undefined, warned, `${cookiePath} at ${base}: ${warning}`);
        if (warned) assert.match(warning ?? '', /every request starts a new session/);
      } finally {
        await server.close();
      }
    }
    // The URL transport carries no cookie: its cookiePath does not matter.
    const url = await startServer({
      app: APPS.counter,
      config: defineConfig({ cookiePath: '/admin', transport: 'url' }),
    });
    assert.deepEqual(url.warnings, []);
    await url.close();
  });

  it('matches paths as a browser does (RFC 6265 §5.1.4)', () => {
    assert.equal(pathMatches('/lab/a/', '/lab'), true);
    assert.equal(pathMatches('/lab', '/lab'), true);
    assert.equal(pathMatches('/laboratory/', '/lab'), false);
    assert.equal(pathMatches('/', '/lab/'), false);
  });
});
