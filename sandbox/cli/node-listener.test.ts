// node:http ⇄ web Request/Response over a real socket: what the handler sees, and the exact bytes sent.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { upload } from '../testing/upload.ts';
import { nodeListener, sendResponse } from './node-listener.ts';

let server: Server;
let port = 0;
let handler: (request: Request) => Promise<Response> = async () => new Response('unset');

/** One raw exchange: the request as written, the response as it came off the socket. */
function raw(
  method: string,
  path: string,
  headers: [string, string][],
  body?: string,
): Promise<{ status: number; headers: string[]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, method, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.rawHeaders, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    // An array value goes out as one header line per value.
    const grouped = new Map<string, string[]>();
    for (const [name, value] of headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    for (const [name, values] of grouped) req.setHeader(name, values);
    req.end(body);
  });
}

const header = (headers: string[], name: string) =>
  headers.filter((_, i) => i % 2 === 1 && headers[i - 1]?.toLowerCase() === name);

before(async () => {
  server = createServer(
    nodeListener(
      (request) => handler(request),
      () => `http://127.0.0.1:${port}`,
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

describe('a request without a body (GET, HEAD)', () => {
  it('reaches the handler with its method, URL and every header, repeated ones combined', async () => {
    let seen: Request | undefined;
    handler = async (request) => {
      seen = request;
      return new Response(null, { status: 204 });
    };
    await raw('GET', '/a/b?x=1', [
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
      ['X-Forwarded-Proto', 'https'],
      ['Accept', 'text/html'],
      ['Accept', 'text/plain'],
    ]);
    assert.equal(seen?.method, 'GET');
    assert.equal(seen?.url, `http://127.0.0.1:${port}/a/b?x=1`);
    assert.equal(seen?.headers.get('cookie'), 'a=1; b=2');
    assert.equal(seen?.headers.get('accept'), 'text/html, text/plain');
    assert.equal(seen?.headers.get('x-forwarded-proto'), 'https');
    assert.equal(seen?.headers.get('host'), `localhost:${port}`);
    assert.equal(seen?.body, null);
    assert.ok(seen instanceof Request);
  });

  it('is at the configured origin, whatever Host the client sent', async () => {
    let seen: Request | undefined;
    handler = async (request) => {
      seen = request;
      return new Response(null, { status: 204 });
    };
    await raw('GET', '/x', [['Host', 'evil.test']]);
    assert.equal(seen?.url, `http://127.0.0.1:${port}/x`);
    assert.equal(seen?.headers.get('host'), 'evil.test');
  });

  it('is a whole Request to those who need more: clone, signal, new Request, headers to copy', async () => {
    let copied: Request | undefined;
    handler = async (request) => {
      copied = new Request(request.clone(), { headers: { 'x-more': '1' } });
      assert.ok(request.signal instanceof AbortSignal);
      assert.deepEqual(Object.fromEntries(new Headers(request.headers)), Object.fromEntries(request.headers));
      return new Response(null, { status: 204 });
    };
    assert.equal((await raw('GET', '/c', [['Accept', 'text/html']])).status, 204);
    assert.equal(copied?.url, `http://127.0.0.1:${port}/c`);
    assert.equal(copied?.headers.get('x-more'), '1');
  });
});

describe('a request target that makes no URL', () => {
  it('gets a 400 and the server keeps serving', async () => {
    handler = async () => new Response('still here');
    for (const target of ['*', 'http://other.test/']) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.end(`OPTIONS ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
        );
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 400 /, target);
    }
    assert.equal((await raw('GET', '/', [])).body.toString(), 'still here');
  });
});

describe('a request with a body', () => {
  it('reaches the handler whole, with its method, URL and headers', async () => {
    let seen: Request | undefined;
    handler = async (request) => {
      seen = request;
      return new Response(`got ${await request.text()}`);
    };
    const res = await raw(
      'POST',
      '/p?q=1',
      [
        ['Content-Type', 'text/plain'],
        ['Cookie', 'a=1'],
      ],
      'name=ada',
    );
    assert.equal(res.body.toString(), 'got name=ada');
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.url, `http://127.0.0.1:${port}/p?q=1`);
    assert.equal(seen?.headers.get('cookie'), 'a=1');
  });

  it('is read and dropped on a GET, which reaches the handler without it', async () => {
    let seen: Request | undefined;
    handler = async (request) => {
      seen = request;
      return new Response('no body here');
    };
    const res = await raw(
      'GET',
      '/g',
      [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '7'],
      ],
      'ignored',
    );
    assert.equal(res.body.toString(), 'no body here');
    assert.equal(seen?.method, 'GET');
    assert.equal(seen?.body, null);
  });

  for (const framing of ['chunked', 'content-length'] as const) {
    it(`refuses 20 MB sent ${framing} with a short 413 page; the handler never runs`, async () => {
      let called = false;
      handler = async (request) => {
        called = true;
        return new Response(`got ${(await request.text()).length}`);
      };
      const answer = await upload({
        port,
        total: 20_000_000,
        withLength: framing === 'content-length',
        prefix: 'firstName=',
      });
      assert.equal(answer.status, 413);
      assert.match(answer.body, /Request body too large/);
      assert.ok(answer.body.length < 2_000 && !answer.body.includes('aaaa'), 'short, echoes nothing');
      assert.equal(called, false);
    });
  }
});

describe('sending a response', () => {
  // A lone surrogate, accents and an emoji: a string body and a streamed one must give the same UTF-8.
  const text = 'caf\u00e9 \ud83d\ude00 \ud800 end';
  const init = { status: 201, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-demo': 'yes' } };
  const streamOf = (value: string) =>
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(value));
        controller.close();
      },
    });

  it('sends a string-built page byte for byte as the same page streamed', async () => {
    handler = async () => new Response(text, init);
    const fromString = await raw('GET', '/', []);
    handler = async () => new Response(streamOf(text), init);
    const streamed = await raw('GET', '/', []);
    assert.equal(fromString.status, 201);
    assert.deepEqual(fromString.body, streamed.body);
    assert.deepEqual(fromString.body, Buffer.from(new TextEncoder().encode(text)));
    assert.deepEqual(header(fromString.headers, 'content-length'), [String(fromString.body.length)]);
    assert.deepEqual(header(fromString.headers, 'x-demo'), ['yes']);
  });

  it('gives a string the same default content type as new Response(text)', async () => {
    handler = async () => new Response('x');
    assert.deepEqual(header((await raw('GET', '/', [])).headers, 'content-type'), [
      'text/plain; charset=UTF-8',
    ]);
  });

  it('sends every Set-Cookie as its own header line', async () => {
    const headers = new Headers({ 'content-type': 'text/html' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/');
    handler = async () => new Response('<p>ok</p>', { headers });
    const res = await raw('GET', '/', []);
    assert.deepEqual(header(res.headers, 'set-cookie'), ['a=1; Path=/', 'b=2; Path=/']);
  });

  it('sends a change made to the headers of a page after it was built', async () => {
    handler = async () => {
      const page = new Response('<p>changed</p>', init);
      page.headers.set('x-demo', 'changed');
      page.headers.append('set-cookie', 'late=1; Path=/');
      return page;
    };
    const res = await raw('GET', '/', []);
    assert.deepEqual(header(res.headers, 'x-demo'), ['changed']);
    assert.deepEqual(header(res.headers, 'set-cookie'), ['late=1; Path=/']);
    assert.equal(res.body.toString(), '<p>changed</p>');
  });

  it('answers HEAD with the headers and no body', async () => {
    handler = async () => new Response(text, init);
    const res = await raw('HEAD', '/', []);
    assert.equal(res.status, 201);
    assert.deepEqual(header(res.headers, 'x-demo'), ['yes']);
    assert.equal(res.body.length, 0);
  });

  it('sends the body of a page whose text the app already read and re-wrapped', async () => {
    handler = async () => {
      const page = new Response('first read');
      return new Response(`${await page.text()}, then sent`, init);
    };
    assert.equal((await raw('GET', '/', [])).body.toString(), 'first read, then sent');
  });

  it('answers a handler that fails with a 500 that says nothing of the error, and keeps serving', async () => {
    const logged: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      for (const fail of [
        async () => {
          throw new Error('secret detail');
        },
        () => {
          throw new Error('secret detail');
        },
      ]) {
        handler = fail as typeof handler;
        const res = await raw('GET', '/', []);
        assert.equal(res.status, 500);
        assert.equal(res.body.toString(), 'Internal error; it was logged.\n');
      }
    } finally {
      console.error = log;
    }
    assert.equal(logged.length, 2, 'each failure is logged');
    handler = async () => new Response('still here');
    assert.equal((await raw('GET', '/', [])).body.toString(), 'still here');
  });
});

describe('sendResponse', () => {
  it('writes status, reason, every header (one line per Set-Cookie) and the body', async () => {
    const headers = new Headers({ 'content-type': 'text/plain', 'x-a': '1' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const own = createServer((_req, res) => {
      void sendResponse(new Response('sent', { status: 418, statusText: 'Teapot', headers }), res);
    });
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await new Promise<{ status?: number; reason?: string; headers: string[]; body: string }>(
        (resolve, reject) => {
          httpRequest({ port: (own.address() as AddressInfo).port, agent: false }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => {
              body += chunk;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode, reason: res.statusMessage, headers: res.rawHeaders, body }),
            );
          })
            .on('error', reject)
            .end();
        },
      );
      assert.equal(answer.status, 418);
      assert.equal(answer.reason, 'Teapot');
      assert.deepEqual(header(answer.headers, 'set-cookie'), ['a=1', 'b=2']);
      assert.deepEqual(header(answer.headers, 'x-a'), ['1']);
      assert.equal(answer.body, 'sent');
    } finally {
      own.close();
    }
  });
});

describe('web objects in a process that serves through nodeListener', () => {
  // hono's listener puts its own Request and Response in place of the globals: apps must not notice.
  it('builds Responses that are Responses, read once, clone, and carry the same headers', async () => {
    const page = new Response('<p>é</p>', { status: 202, statusText: 'Taken', headers: { 'x-a': '1' } });
    assert.ok(page instanceof Response);
    assert.equal(page.status, 202);
    assert.equal(page.statusText, 'Taken');
    assert.equal(page.headers.get('x-a'), '1');
    assert.equal(page.headers.get('content-type'), 'text/plain;charset=UTF-8');
    assert.equal(await page.clone().text(), '<p>é</p>');
    assert.equal(await page.text(), '<p>é</p>');
    assert.equal(page.bodyUsed, true);
    await assert.rejects(page.text(), TypeError);
    assert.deepEqual(await Response.json({ a: 1 }).json(), { a: 1 });
    const moved = Response.redirect('http://x.test/next', 303);
    assert.equal(moved.headers.get('location'), 'http://x.test/next');
    assert.equal(moved.body, null);
  });
});
