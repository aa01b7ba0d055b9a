import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import {
  contentSecurityPolicy,
  devContentSecurityPolicy,
  inlineScriptHashes,
  SITE_BASE_HEADERS,
  securityHeaders,
} from './security-headers.ts';

const sha = (body: string) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`;

it('hashes each inline script once, skipping external scripts, data blocks and empty tags', () => {
  const pages = [
    '<script>a()</script><script type="module">b()</script><script src="/x.js"></script>',
    '<script>a()</script><script type="application/ld+json">{"x":1}</script><script type=application/json>{}</script><script> </script>',
  ];
  assert.deepEqual(inlineScriptHashes(pages), [sha('a()'), sha('b()')].sort());
});

it('builds a policy that names the hashes and keeps plugins, framing by others and foreign forms out', () => {
  const policy = contentSecurityPolicy([sha('a()')]);
  assert.match(
    policy,
    new RegExp(`script-src 'self' 'wasm-unsafe-eval' ${sha('a()').replace(/[+/]/g, '\\$&')}`),
  );
  for (const part of ["object-src 'none'", "frame-ancestors 'self'", "form-action 'self'", "base-uri 'self'"])
    assert.ok(policy.includes(part), part);
  assert.ok(!/script-src[^;]*unsafe-inline/.test(policy), 'no inline script runs unless hashed');
  const headers = securityHeaders(policy);
  assert.equal(headers['content-security-policy'], policy);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(
    headers['referrer-policy'],
    'same-origin',
    'no Referer (nor a session id in it) leaves the site',
  );
  assert.equal(headers['x-frame-options'], 'SAMEORIGIN');
  // The dev server sends the same headers, with the policy of the next test.
  assert.deepEqual({ ...SITE_BASE_HEADERS, 'content-security-policy': policy }, headers);
});

it("gives `npm run dev` the built site's policy, except inline scripts and the dev toolbar's fetch", () => {
  const directives = (policy: string) =>
    new Map(policy.split('; ').map((directive) => [directive.split(' ')[0], directive]));
  const dev = directives(devContentSecurityPolicy());
  const built = directives(contentSecurityPolicy([sha('a()')]));
  assert.deepEqual([...dev.keys()], [...built.keys()]);
  for (const [name, directive] of built)
    if (name !== 'script-src' && name !== 'connect-src') assert.equal(dev.get(name), directive, name);
  assert.equal(dev.get('script-src'), "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'");
  assert.equal(dev.get('connect-src'), "connect-src 'self' https://astro.build");
});
