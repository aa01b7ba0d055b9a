// The CSRF demo's other site: it posts only to the lab's own login demos, on the lab's own origin,
// escapes what it shows, and redirects nowhere but to the lab's second port.
import assert from 'node:assert/strict';
import { createServer, type RequestListener, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  ATTACKER_EMAIL,
  answerOtherSite,
  attackTarget,
  otherSiteFrameSources,
  otherSiteListener,
  otherSitePage,
} from './other-site.ts';

const LOGIN = '/lab/login/ram/std/';

describe('attackTarget', () => {
  it("takes exactly a login demo's base, as the lab spells it", () => {
    assert.equal(attackTarget(LOGIN), LOGIN);
    assert.equal(attackTarget('/lab/login/postgres/std/'), '/lab/login/postgres/std/');
  });

  it('refuses other apps, other spellings, other hosts and, when a list is given, demos not offered', () => {
    for (const demo of [
      null,
      '',
      '/lab/counter/ram/std/',
      '/lab/login/ram/std/email',
      '/lab/login/ram/std',
      '/lab/login/ram/url/',
      '//evil.example/lab/login/ram/std/',
      'http://evil.example/lab/login/ram/std/',
      '/lab/login/ram/std/../../counter/ram/std/',
    ])
      assert.equal(attackTarget(demo), null, String(demo));
    assert.equal(attackTarget(LOGIN, new Set(['/lab/login/redis/std/'])), null);
    assert.equal(attackTarget(LOGIN, new Set([LOGIN])), LOGIN);
  });
});

describe('otherSitePage', () => {
  it('is a form with one hidden email field, no script, everything shown escaped', async () => {
    const page = await otherSitePage(
      'http://127.0.0.1:4321/lab/login/ram/std/email"><script>x()</script>',
      'port',
    ).text();
    assert.doesNotMatch(page, /<script/i);
    assert.match(
      page,
      /action="http:\/\/127\.0\.0\.1:4321\/lab\/login\/ram\/std\/email&quot;&gt;&lt;script&gt;/,
    );
    assert.match(page, new RegExp(`<input type="hidden" name="email" value="${ATTACKER_EMAIL}">`));
    assert.match(page, /another port of the lab: another origin, but the same site/);
  });
});

it('otherSiteFrameSources: the loopback names and the configured ones (no IPv6: CSP cannot name one), on the other port', () => {
  assert.deepEqual(otherSiteFrameSources(4322, ['lab.local', '[::2]']), [
    'http://localhost:4322',
    'http://127.0.0.1:4322',
    'http://lab.local:4322',
  ]);
});

/** Starts a listener on a free port. */
async function listen(listener: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A request with a Host header of our choosing (fetch will not send one). */
function get(port: number, path: string, host: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const demo = (from: string, base = LOGIN) => `/other-site/?demo=${encodeURIComponent(base)}&from=${from}`;

describe("on the lab's own listener (answerOtherSite)", () => {
  let local: { server: Server; port: number };
  let publicSite: { server: Server; port: number };
  const scheme = () => 'http' as const;
  before(async () => {
    local = await listen((req, res) => {
      if (!answerOtherSite(req, res, { port: 4999, scheme })) res.writeHead(418).end();
    });
    publicSite = await listen((req, res) => {
      if (!answerOtherSite(req, res, { offered: new Set([LOGIN]), scheme })) res.writeHead(418).end();
    });
  });
  after(() => {
    local.server.close();
    publicSite.server.close();
  });

  it('serves the sandboxed page: an opaque origin, forms only to the lab, framed only by it', async () => {
    const answer = await get(local.port, demo('sandbox'), 'localhost:4321');
    assert.equal(answer.status, 200);
    const policy = String(answer.headers['content-security-policy']);
    assert.match(policy, /sandbox allow-forms$/);
    assert.match(policy, /form-action http:\/\/localhost:4321;/);
    assert.match(policy, /frame-ancestors http:\/\/localhost:4321;/);
    assert.match(policy, /default-src 'none'/);
    assert.match(
      answer.text,
      /<form method="post" action="http:\/\/localhost:4321\/lab\/login\/ram\/std\/email">/,
    );
    assert.match(answer.text, /to the browser it comes from another site/);
  });

  it('sends `from=port` to the second port under the same host name, and nowhere else', async () => {
    const answer = await get(local.port, demo('port'), 'localhost:4321');
    assert.equal(answer.status, 303);
    assert.equal(
      answer.headers.location,
      'http://localhost:4999/other-site/?demo=%2Flab%2Flogin%2Fram%2Fstd%2F',
    );
  });

  it('refuses another app, a foreign URL and a POST with a 404 and no redirect', async () => {
    for (const [path, method] of [
      [demo('sandbox', '/lab/counter/ram/std/'), 'GET'],
      [demo('port', '//evil.example/'), 'GET'],
      [demo('port', 'http://evil.example/lab/login/ram/std/'), 'GET'],
      [demo('elsewhere'), 'GET'],
      [demo('sandbox'), 'POST'],
    ] as const) {
      const answer = await get(local.port, path, 'localhost:4321', method);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.headers.location, undefined);
      assert.doesNotMatch(answer.text, /<form/);
    }
    assert.equal((await get(local.port, '/other-sites/', 'localhost:4321')).status, 418);
  });

  it('in public mode: only the sandboxed page, only for an offered demo', async () => {
    assert.equal((await get(publicSite.port, demo('sandbox'), 'lab.example:443')).status, 200);
    assert.equal((await get(publicSite.port, demo('port'), 'lab.example:443')).status, 404);
    assert.equal(
      (await get(publicSite.port, demo('sandbox', '/lab/login/mysql/std/'), 'lab.example')).status,
      404,
    );
  });
});

describe('on the second listener (otherSiteListener)', () => {
  let other: { server: Server; port: number };
  before(async () => {
    other = await listen(otherSiteListener(4321, []));
  });
  after(() => other.server.close());

  it("posts to the lab's port under the name it was asked by, framed only by the lab", async () => {
    const answer = await get(other.port, `/other-site/?demo=${encodeURIComponent(LOGIN)}`, '127.0.0.1:4322');
    assert.equal(answer.status, 200);
    assert.match(answer.text, /action="http:\/\/127\.0\.0\.1:4321\/lab\/login\/ram\/std\/email"/);
    assert.match(
      String(answer.headers['content-security-policy']),
      /frame-ancestors http:\/\/127\.0\.0\.1:4321;/,
    );
    assert.doesNotMatch(String(answer.headers['content-security-policy']), /sandbox/);
    assert.equal(answer.headers['x-frame-options'], undefined);
  });

  it('answers nothing else: other paths, other demos, a foreign Host name (421)', async () => {
    assert.equal((await get(other.port, '/', '127.0.0.1:4322')).status, 404);
    assert.equal((await get(other.port, '/lab/login/ram/std/', '127.0.0.1:4322')).status, 404);
    const counter = `/other-site/?demo=${encodeURIComponent('/lab/counter/ram/std/')}`;
    assert.equal((await get(other.port, counter, '127.0.0.1:4322')).status, 404);
    const rebound = await get(
      other.port,
      `/other-site/?demo=${encodeURIComponent(LOGIN)}`,
      'evil.example:4322',
    );
    assert.equal(rebound.status, 421);
    assert.doesNotMatch(rebound.text, /<form/);
  });
});
