import assert from 'node:assert/strict';
import { createServer, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { upload } from '../testing/upload.ts';
import { forward, keepAliveAgent } from './forward.ts';
import { nodeListener } from './node-listener.ts';

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});
const listen = async (server: Server) => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A front that forwards everything to `targetPort`, answering 502 when the target is down. */
const frontFor = (targetPort: number) => {
  const agent = keepAliveAgent(8);
  return createServer((req, res) =>
    forward(req, res, {
      host: '127.0.0.1',
      port: targetPort,
      agent,
      onDown: () => res.writeHead(502).end('down'),
    }),
  );
};

describe('forward', () => {
  it("drops an idle connection before the target's keep-alive timeout ends it (no reset on reuse)", async () => {
    // The target closes a connection idle for keepAliveTimeout, and says so (Keep-Alive: timeout=2). A
    // proxy that kept the idle socket longer could send the next request into one the target is
    // closing: ECONNRESET, and the visitor got a 502 with no fault anywhere (3 of 66 000 requests in
    // `npm run loadtest`, whose demo workers close idle connections after node's default 5 s).
    const target = createServer((_req, res) => res.end('ok'));
    target.keepAliveTimeout = 2_000;
    const targetPort = await listen(target);
    const agent = keepAliveAgent(8);
    const front = createServer((req, res) =>
      forward(req, res, {
        host: '127.0.0.1',
        port: targetPort,
        agent,
        onDown: () => res.writeHead(502).end('down'),
      }),
    );
    const frontPort = await listen(front);
    const fetchText = () =>
      new Promise<string>((resolve, reject) => {
        httpGet({ port: frontPort, agent: false }, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    assert.equal(await fetchText(), 'ok');
    await sleep(50);
    assert.equal(Object.values(agent.freeSockets).flat().length, 1, 'kept alive for the next request');
    // The announced 2 s less node's 1 s margin: the proxy lets go after 1 s, before the target would.
    await sleep(1_400);
    assert.equal(Object.values(agent.freeSockets).flat().length, 0, 'dropped before the target closes it');
    assert.equal(await fetchText(), 'ok');
    agent.destroy();
  });

  it('passes a 413 from the target through as a 413, never a 502', async () => {
    // A target with a lower ceiling than the front's: it refuses the body the front accepted.
    const target = createServer(
      nodeListener(
        async () => new Response('read'),
        () => 'http://127.0.0.1',
        { maxBytes: 1_000 },
      ),
    );
    const frontPort = await listen(frontFor(await listen(target)));
    for (const chunked of [false, true]) {
      const answer = await upload({ port: frontPort, total: 500_000, withLength: !chunked });
      assert.equal(answer.status, 413, chunked ? 'chunked' : 'with a length');
      assert.match(answer.body, /Request body too large/);
    }
  });

  it('refuses 20 MB itself (chunked or with a length): the target never sees the request', async () => {
    let reached = 0;
    const target = createServer((req, res) => {
      reached++;
      req.resume();
      req.on('end', () => res.end('read'));
    });
    const frontPort = await listen(frontFor(await listen(target)));
    for (const chunked of [false, true]) {
      const answer = await upload({ port: frontPort, total: 20_000_000, withLength: !chunked });
      assert.equal(answer.status, 413, chunked ? 'chunked' : 'with a length');
    }
    assert.equal(reached, 0);
    assert.equal((await upload({ port: frontPort, total: 10 })).body, 'read', 'a small body goes through');
  });
});
