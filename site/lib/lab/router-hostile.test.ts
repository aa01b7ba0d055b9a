// The /lab/ router against hostile uploads, with real demo workers: huge bodies (chunked or with a
// length) get a 413 from the front and from the worker without the worker's memory growing, slow
// uploads get a 408 and cannot use up a demo's connections, and a visitor over the in-flight cap a 429.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TOKEN_HEADER } from '../../../sandbox/cli/worker-token.ts';
import { type Answer, upload } from '../../../sandbox/testing/upload.ts';
import { PUBLIC_LIMITS } from '../../lab-server.ts';
import { DemoManager } from './manager.ts';
import { createLabRouter, type LabRouterOptions } from './router.ts';
import { defaultVariant } from './variant.ts';

const SAVE = '/lab/name-form/ram/std/save';
const PAGE = '/lab/name-form/ram/std/';
const manager = new DemoManager({ maxRunning: 4, idleMinutes: 15 });
const servers: Server[] = [];

async function front(options: Partial<LabRouterOptions> = {}): Promise<number> {
  const route = createLabRouter({ manager, controls: false, publicMode: true, ...options });
  const server = createServer((req, res) => {
    if (!route(req, res)) res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await manager.stopAll();
});

function get(port: number, path: string, localAddress?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, localAddress }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;

/** Starts the demo and gives its worker (pid, port, and the token it asks of whoever calls it). */
async function worker(port: number) {
  assert.equal((await get(port, PAGE)).status, 200);
  const sandbox = await manager.sandbox(defaultVariant('name-form'));
  const info = sandbox.workers[0];
  assert.ok(info?.pid && info.port, 'the demo worker is up');
  return { pid: info.pid, port: info.port, headers: { [TOKEN_HEADER]: sandbox.token } };
}

describe('huge request bodies', () => {
  let port = 0;
  before(async () => {
    port = await front();
  });

  it('20 MB chunked and with a length: 413 from the front and from the worker itself; worker RSS grows < 20 MB', async () => {
    const demo = await worker(port);
    const before = rssBytes(demo.pid);
    const MB20 = 20_000_000;
    for (const target of [port, demo.port]) {
      for (const withLength of [false, true]) {
        const how = `${target === port ? 'front' : 'worker'}, ${withLength ? 'length' : 'chunked'}`;
        const answer = await upload({
          port: target,
          path: SAVE,
          total: MB20,
          withLength,
          prefix: 'firstName=',
          // The worker answers only the site, which sends its token: as the front does.
          headers: target === port ? {} : demo.headers,
        }).catch((error: Error) => assert.fail(`${how}: ${error.message}`));
        assert.equal(answer.status, 413, how);
        assert.match(answer.body, /Request body too large/, how);
        assert.ok(answer.body.length < 2_000 && !answer.body.includes('aaaa'), `${how}: short, no echo`);
      }
    }
    const grown = rssBytes(demo.pid) - before;
    assert.ok(grown < 20_000_000, `worker RSS grew by ${Math.round(grown / 1e6)} MB`);
    // The demo still serves.
    assert.equal((await get(port, PAGE)).status, 200);
  });

  it('a body within the limit still reaches the demo', async () => {
    const answer = await upload({ port, path: SAVE, total: 500, prefix: 'firstName=' });
    // 500 a's is too long a first name: the demo's own 422, which echoes only an excerpt.
    assert.equal(answer.status, 422);
    assert.match(answer.body, /First name is 500 characters long/);
  });
});

/** A request whose headers and first body byte were sent, and then nothing: a slow upload. */
function slowUpload(
  port: number,
  localAddress: string,
  headers: Record<string, string> = {},
): { socket: Socket; answer: Promise<string> } {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  socket.on('error', () => {});
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk;
  });
  // What came back once the server closed the connection, or '(still open)' after 15 s.
  const answer = new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('(still open)'), 15_000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  socket.write(
    `POST ${SAVE} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nf`,
  );
  return { socket, answer };
}

describe('slow uploads', () => {
  it('130 slow uploads from three addresses: a fresh visitor of the same demo is answered in < 1 s', async () => {
    const port = await front({ limits: PUBLIC_LIMITS });
    await worker(port);
    const slow = Array.from({ length: 130 }, (_, i) => slowUpload(port, `127.0.0.${2 + (i % 3)}`));
    try {
      // Every slow request has reached the router (each has its 429 or is waiting for its body).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = Date.now();
      const visit = await Promise.race([
        get(port, PAGE, '127.0.0.5'),
        new Promise<undefined>((resolve) => setTimeout(resolve, 3_000, undefined)),
      ]);
      const took = Date.now() - started;
      assert.equal(visit?.status, 200, 'the fresh visitor is answered');
      assert.ok(took < 1_000, `answered in ${took} ms`);
    } finally {
      for (const { socket } of slow) socket.destroy();
    }
  });

  it(`a visitor over ${PUBLIC_LIMITS.maxInFlightPerVisitor} requests in flight gets a 429 with Retry-After`, async () => {
    const port = await front({ limits: PUBLIC_LIMITS });
    await worker(port);
    const cap = PUBLIC_LIMITS.maxInFlightPerVisitor;
    const slow = Array.from({ length: cap }, () => slowUpload(port, '127.0.0.6'));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const over = await get(port, PAGE, '127.0.0.6');
      assert.equal(over.status, 429);
      assert.equal(over.headers['retry-after'], '1');
      assert.match(over.body, new RegExp(`at most ${cap} requests at once`));
      // Another visitor is not affected.
      assert.equal((await get(port, PAGE, '127.0.0.7')).status, 200);
    } finally {
      for (const { socket } of slow) socket.destroy();
    }
    // Their slots are given back when their connections go.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await get(port, PAGE, '127.0.0.6')).status, 200);
  });

  it('a body not sent within the timeout: 408 and the connection is closed, at the front and at the worker', async () => {
    const port = await front({ bodyLimits: { timeoutMs: 300 } });
    const demo = await worker(port);
    const started = Date.now();
    const atFront = slowUpload(port, '127.0.0.1');
    const frontAnswer = await atFront.answer;
    assert.match(frontAnswer, /^HTTP\/1\.1 408 /);
    assert.match(frontAnswer, /Request body too slow/);
    // 300 ms, then at most 5 s of reading what the client still sends.
    assert.ok(Date.now() - started < 7_000, 'closed soon after the timeout ran out');
    // The worker applies its own (default) timeout to a client that reaches it directly.
    const atWorker = slowUpload(demo.port, '127.0.0.1', demo.headers);
    const workerAnswer = await atWorker.answer;
    assert.match(workerAnswer, /^HTTP\/1\.1 408 /);
  });
});
