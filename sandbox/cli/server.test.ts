// One lesson app behind node:http (startServer): what it tells at start, and HEAD over a real socket.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { defineConfig } from '../engine/config.ts';
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
    const server = await startServer({ appName: 'counter', config: defineConfig({}) });
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
      const name = await startServer({ appName: 'name-form', config: defineConfig({}) });
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
