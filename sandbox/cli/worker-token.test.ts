// The demo workers answer only whoever their supervisor gave the token to (issue 11 §5).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
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
    // The right length, one character off: the comparison is of every byte, not a prefix.
    const offByOne = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const attempts: Record<string, string>[] = [{}, { [TOKEN_HEADER]: 'x' }, { [TOKEN_HEADER]: offByOne }];
    for (const headers of attempts) {
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
