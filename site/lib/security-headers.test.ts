import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import {
  contentSecurityPolicy,
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
  // The dev server sends the same, without a policy (site/dev.ts says why).
  assert.deepEqual({ ...SITE_BASE_HEADERS, 'content-security-policy': policy }, headers);
});
