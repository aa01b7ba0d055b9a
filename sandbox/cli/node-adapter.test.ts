// node:http ⇄ web Request/Response over a real socket: what the handler sees, and the exact bytes sent.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { textResponse, unreadText } from '../engine/text-response.ts';
import { upload } from '../testing/upload.ts';
import { nodeListener } from './node-adapter.ts';

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
  it('still streams the body to the handler', async () => {
    handler = async (request) => new Response(`got ${await request.text()}`);
    const res = await raw('POST', '/', [['Content-Type', 'text/plain']], 'name=ada');
    assert.equal(res.body.toString(), 'got name=ada');
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
  // A lone surrogate, accents and an emoji: both paths must encode them to the same UTF-8.
  const text = 'caf\u00e9 \ud83d\ude00 \ud800 end';
  const init = { status: 201, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-demo': 'yes' } };

  it('sends a string-built page byte for byte as the same page built with new Response', async () => {
    handler = async () => textResponse(text, init);
    const fast = await raw('GET', '/', []);
    handler = async () => new Response(text, init);
    const slow = await raw('GET', '/', []);
    assert.equal(fast.status, 201);
    assert.deepEqual(fast.body, slow.body);
    assert.deepEqual(fast.body, Buffer.from(new TextEncoder().encode(text)));
    for (const framing of ['content-length', 'transfer-encoding'])
      assert.deepEqual(header(fast.headers, framing), header(slow.headers, framing));
    assert.deepEqual(header(fast.headers, 'x-demo'), ['yes']);
  });

  it('writes a string-built page without ever making its body stream', async () => {
    const page = textResponse('<p>direct</p>', init);
    handler = async () => page;
    assert.equal((await raw('GET', '/', [])).body.toString(), '<p>direct</p>');
    assert.equal(unreadText(page), '<p>direct</p>', 'the body was not touched');
  });

  it('sends every Set-Cookie as its own header line', async () => {
    const headers = new Headers({ 'content-type': 'text/html' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/');
    handler = async () => textResponse('<p>ok</p>', { headers });
    const res = await raw('GET', '/', []);
    assert.deepEqual(header(res.headers, 'set-cookie'), ['a=1; Path=/', 'b=2; Path=/']);
  });

  it('sends a change made to the headers of a text page after it was built', async () => {
    handler = async () => {
      const page = textResponse('<p>changed</p>', init);
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
    handler = async () => textResponse(text, init);
    const res = await raw('HEAD', '/', []);
    assert.equal(res.status, 201);
    assert.equal(res.body.length, 0);
  });

  it('sends the body of a page whose text the app already read and re-wrapped', async () => {
    handler = async () => {
      const page = textResponse('first read');
      return new Response(`${await page.text()}, then sent`, init);
    };
    assert.equal((await raw('GET', '/', [])).body.toString(), 'first read, then sent');
  });
});
