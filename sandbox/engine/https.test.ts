import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHttps, requestIsHttps } from './https.ts';

describe('isHttps', () => {
  it('is true over TLS whatever the headers say', () => {
    assert.equal(isHttps(true, 'http', false), true);
  });

  it('believes the first X-Forwarded-Proto value only from a trusted proxy', () => {
    assert.equal(isHttps(false, 'https', true), true);
    assert.equal(isHttps(false, ' https , http', true), true);
    assert.equal(isHttps(false, 'http, https', true), false);
    assert.equal(isHttps(false, 'https', false), false, 'an untrusted header is ignored');
    assert.equal(isHttps(false, null, true), false);
  });

  it('reads a web Request by its URL and header', () => {
    assert.equal(requestIsHttps(new Request('https://lab.test/a'), false), true);
    const proxied = new Request('http://lab.test/a', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(requestIsHttps(proxied, true), true);
    assert.equal(requestIsHttps(proxied, false), false);
  });
});
