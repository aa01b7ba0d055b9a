// A request's body, read whole into memory under a byte ceiling and a deadline before anyone acts on
// it: the demo workers (node-listener.ts, so every app and transport sees a bounded body) and the
// proxies in front of them (forward.ts, so a slow or huge upload never holds a worker's connection,
// as nginx's proxy_request_buffering does). Bytes are counted as they arrive, whatever the framing
// (Content-Length or chunked), and reading stops at the first byte over the limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { html, htmlPage } from '../engine/html.ts';

/** The most any request body may carry. */
export const MAX_BODY_BYTES = 1_048_576;
/** A form post is a few fields typed by hand: 64 KiB is hundreds of times what any demo form holds. */
export const MAX_FORM_BYTES = 65_536;
/** A body not fully received this long after its headers is refused (408): a slow upload ties up nothing. */
export const BODY_TIMEOUT_MS = 5_000;
/**
 * After a refusal, how long the rest of the upload is still read (and dropped) before the connection is
 * cut. Closing at once with unread bytes pending makes the kernel send a reset, and a client still
 * writing could lose the 413 it had not read yet (nginx's lingering_close does the same, for 30 s).
 */
const LINGER_MS = 5_000;

/**
 * Node's own limits on a connection, as createServer options: the whole request (headers and body) must
 * arrive within `requestTimeout` (node answers 408 and closes), its headers within `headersTimeout`,
 * checked every second. A backstop for what the body reader does not see (slow headers, a body nobody
 * reads); node's defaults are 300 s and 60 s, checked every 30 s.
 */
export const CONNECTION_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  connectionsCheckingInterval: 1_000,
} as const;

export interface BodyLimits {
  /** Bytes, for a body that is not a form (default MAX_BODY_BYTES). */
  maxBytes?: number;
  /** Bytes, for an urlencoded or multipart form (default MAX_FORM_BYTES). */
  maxFormBytes?: number;
  timeoutMs?: number;
}

export type BodyResult = { ok: true; body: Buffer<ArrayBuffer> } | { ok: false; status: 408 | 413 };

/** Whether the request says a body follows (any method: a GET may carry one too). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** The ceiling for this request's body: the tighter one for forms. */
export function bodyLimit(req: IncomingMessage, limits: BodyLimits = {}): number {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const form = type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
  return form ? (limits.maxFormBytes ?? MAX_FORM_BYTES) : (limits.maxBytes ?? MAX_BODY_BYTES);
}

/**
 * The whole body, or why not: 413 as soon as Content-Length or the bytes counted so far pass the limit
 * (nothing more is kept), 408 when it has not all arrived within the timeout. A connection that ends
 * early resolves as a 408 too; there is no one left to answer.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits = {}): Promise<BodyResult> {
  const limit = bodyLimit(req, limits);
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve({ ok: false, status: 413 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        finish({ ok: false, status: 413 });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onClose = () => finish({ ok: false, status: 408 });
    const timer = setTimeout(() => {
      req.pause();
      finish({ ok: false, status: 408 });
    }, limits.timeoutMs ?? BODY_TIMEOUT_MS);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

/** The page for a refused body: short, and it echoes nothing that was sent. */
export function bodyRefusedPage(status: 408 | 413, limit: number): Response {
  const [title, message] =
    status === 413
      ? [
          'Request body too large',
          `This server accepts at most ${limit} bytes in a request body (${Math.round(limit / 1024)} KiB); the rest was not read. Nothing was saved.`,
        ]
      : [
          'Request body too slow',
          `The request body did not arrive within ${BODY_TIMEOUT_MS / 1000} s. Nothing was saved; send it again.`,
        ];
  return htmlPage(title, html`<div class="error" role="alert"><h1>${title}</h1><p>${message}</p></div>`, {
    status,
    headers: { 'cache-control': 'no-store' },
  });
}

/**
 * Answers a refused body, then drops whatever the client still sends (for `LINGER_MS` at most) and
 * closes the connection: an over-long or stalled upload never gets to send its next request on it.
 * The page goes out whole at once (it has a Content-Length, so the client can read it); the response
 * ends only once the upload has ended, because node closes a `Connection: close` request's socket as
 * its response ends, and a reset would follow any byte still unread.
 */
export async function refuseBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: 408 | 413,
  limit: number,
): Promise<void> {
  const page = bodyRefusedPage(status, limit);
  const text = await page.text();
  if (res.headersSent || res.destroyed) return;
  const socket = req.socket;
  const close = () => {
    clearTimeout(timer);
    res.end();
    res.once('finish', () => socket.destroy());
  };
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  res.writeHead(status, {
    ...Object.fromEntries(page.headers),
    'content-length': Buffer.byteLength(text),
  });
  res.write(text);
  if (req.complete) close();
  else {
    req.once('end', close);
    req.resume();
  }
}
