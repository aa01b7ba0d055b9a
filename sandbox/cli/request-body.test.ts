// The bounded body reader on a real socket: every framing counted, cut at the limit, timed out.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type BodyLimits, type BodyResult, bodyRefusedPage, readBody } from './request-body.ts';

let server: Server;
let port = 0;
let limits: BodyLimits = {};
/** What the last request's readBody gave, and how many bytes the server had received by then. */
const results: ((result: BodyResult, req: IncomingMessage) => void)[] = [];

before(async () => {
  server = createServer((req, res) => {
    void readBody(req, limits).then((result) => {
      results.shift()?.(result, req);
      res.writeHead(result.ok ? 200 : result.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

const nextResult = () => new Promise<BodyResult>((resolve) => results.push(resolve));

/** Sends `total` bytes of `a` as a form (chunked unless `length`), without waiting for the answer. */
function upload(total: number, { length = false, type = 'text/plain' } = {}) {
  const req = httpRequest({
    port,
    method: 'POST',
    agent: false,
    headers: { 'content-type': type, ...(length ? { 'content-length': String(total) } : {}) },
  });
  req.on('error', () => {});
  const chunk = Buffer.alloc(65_536, 'a');
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      if (!req.write(piece)) return void req.once('drain', pump);
    }
    req.end();
  };
  pump();
  return req;
}

describe('readBody', () => {
  it('gives back the whole body when it is within the limit, chunked or with a length', async () => {
    limits = { maxBytes: 300_000 };
    for (const length of [false, true]) {
      const result = nextResult();
      upload(200_000, { length });
      const got = await result;
      assert.equal(got.ok && got.body.length, 200_000);
    }
  });

  it('cuts a chunked body at the limit and keeps nothing: 413 long before the upload ends', async () => {
    limits = { maxBytes: 100_000 };
    const result = nextResult();
    const sending = upload(50_000_000);
    const got = await result;
    assert.deepEqual(got, { ok: false, status: 413 });
    // The reader stopped at the limit: far less than the 50 MB offered had been taken in.
    assert.ok(sending.socket && sending.socket.bytesWritten < 20_000_000, 'stopped reading early');
    sending.destroy();
  });

  it('refuses a Content-Length over the limit without reading a byte of it', async () => {
    limits = { maxBytes: 100_000 };
    const result = nextResult();
    upload(100_001, { length: true });
    assert.deepEqual(await result, { ok: false, status: 413 });
  });

  it('holds a form to the tighter form limit', async () => {
    limits = { maxBytes: 100_000, maxFormBytes: 1_000 };
    const form = nextResult();
    upload(2_000, { type: 'application/x-www-form-urlencoded' });
    assert.deepEqual(await form, { ok: false, status: 413 });
    const multipart = nextResult();
    upload(2_000, { type: 'multipart/form-data; boundary=x' });
    assert.deepEqual(await multipart, { ok: false, status: 413 });
    const other = nextResult();
    upload(2_000);
    assert.equal((await other).ok, true);
  });

  it('answers 408 when the body has not all arrived within the timeout', async () => {
    limits = { timeoutMs: 300 };
    const result = nextResult();
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab');
    const started = Date.now();
    assert.deepEqual(await result, { ok: false, status: 408 });
    assert.ok(Date.now() - started < 5_000);
    socket.destroy();
  });
});

describe('bodyRefusedPage', () => {
  it('is short, says what happened and echoes nothing', async () => {
    const page = bodyRefusedPage(413, 65_536);
    const text = await page.text();
    assert.equal(page.status, 413);
    assert.match(text, /at most 65536 bytes/);
    assert.ok(text.length < 2_000);
    assert.equal((await bodyRefusedPage(408, 1).text()).includes('did not arrive'), true);
  });
});
