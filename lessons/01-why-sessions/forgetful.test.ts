import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineConfig } from '../../sandbox/engine/config.ts';
import { Engine } from '../../sandbox/engine/engine.ts';
import { ramStore } from '../../sandbox/stores/ram.ts';
import { TestClient } from '../../sandbox/testing/client.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { forgetfulApp } from './forgetful.ts';

const BASE = '/forgetful/';

function client() {
  const config = defineConfig();
  const engine = new Engine(config, ramStore({ maxSessions: 100 }), createTransport(config));
  return new TestClient((request) => engine.handle(request, forgetfulApp, BASE));
}

describe('forgetful, the app without a session', () => {
  it('greets you right after the POST, and page 2 has forgotten you', async () => {
    const browser = client();
    const form = await browser.get(BASE);
    assert.match(form.text, /<label for="firstName">First name<\/label>/);
    const greeted = await browser.post(`${BASE}save`, { firstName: 'Ada', lastName: 'Lovelace' });
    assert.equal(greeted.response.status, 200);
    assert.match(greeted.text, /<h1>Hello Ada Lovelace<\/h1>/);
    assert.match(greeted.text, new RegExp(`<a href="${BASE}page2">Go to page 2</a>`));
    const two = await browser.get(`${BASE}page2`);
    assert.match(two.text, /I don't know your name/);
    assert.doesNotMatch(two.text, /Ada|Lovelace/);
    assert.equal(greeted.setCookie.length + two.setCookie.length, 0, 'no session, so no cookie');
    assert.equal(browser.jar.values.size, 0);
  });

  it('validates like name-form and shows hostile names escaped', async () => {
    const browser = client();
    const bad = await browser.post(`${BASE}save`, { firstName: '', lastName: 'Lovelace' });
    assert.equal(bad.response.status, 422);
    assert.match(bad.text, /First name is required\./);
    const hostile = await browser.post(`${BASE}save`, {
      firstName: '<script>alert(1)</script>',
      lastName: "O'Brien",
    });
    assert.ok(hostile.text.includes('Hello &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien'));
    assert.ok(!hostile.text.includes('<script>'));
  });
});
