// A big upload as an attacker's curl sends it: `total` bytes of `a` after a prefix, chunked or with a
// Content-Length. Like curl, it stops sending once the server has answered (an early 413 or 408), so
// the answer is what the server said, not a write error from the connection it then closed.
import { request } from 'node:http';

export interface Upload {
  port: number;
  path?: string;
  total: number;
  /** Send a Content-Length (otherwise the body goes chunked). */
  withLength?: boolean;
  contentType?: string;
  prefix?: string;
  localAddress?: string;
  /** Sent as they are (e.g. a demo worker's token). */
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export function upload({
  port,
  path = '/',
  total,
  withLength = false,
  contentType = 'application/x-www-form-urlencoded',
  prefix = '',
  localAddress,
  headers = {},
}: Upload): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        localAddress,
        headers: {
          ...headers,
          'content-type': contentType,
          ...(withLength ? { 'content-length': String(Buffer.byteLength(prefix) + total) } : {}),
        },
      },
      (res) => {
        answered = true;
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
          req.destroy();
        });
      },
    );
    // Once answered, the server may close the connection under the rest of the upload.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.write(prefix);
    const chunk = Buffer.alloc(65_536, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < total && !answered && !req.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump();
  });
}
