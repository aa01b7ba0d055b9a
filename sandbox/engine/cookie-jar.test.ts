// The jar's Set-Cookie lines go onto the app's response without changing anything else about it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CookieJar } from './cookie-jar.ts';

const jarSetting = (value = 'v1') => {
  const jar = new CookieJar({}, false);
  jar.set({ name: 'sid', value, path: '/', httpOnly: true, secure: false, sameSite: 'Lax' });
  return jar;
};

describe('CookieJar.applyTo', () => {
  it('leaves a response alone when it sets nothing', () => {
    const response = new Response('page');
    assert.equal(new CookieJar({}, false).applyTo(response), response);
  });

  it('adds its Set-Cookie and no-store, keeping status, reason, headers and text', async () => {
    const out = jarSetting().applyTo(
      new Response('page', { status: 404, statusText: 'Gone', headers: { 'x-a': '1' } }),
    );
    assert.equal(out.status, 404);
    assert.equal(out.statusText, 'Gone');
    assert.equal(out.headers.get('x-a'), '1');
    assert.equal(out.headers.get('cache-control'), 'no-store');
    assert.deepEqual(out.headers.getSetCookie(), ['sid=v1; Path=/; HttpOnly; SameSite=Lax']);
    assert.equal(await out.text(), 'page');
  });

  it('keeps the Set-Cookie lines the app set itself', () => {
    const headers = new Headers({ 'set-cookie': 'theme=dark' });
    const out = jarSetting().applyTo(new Response('page', { headers }));
    assert.deepEqual(out.headers.getSetCookie(), ['theme=dark', 'sid=v1; Path=/; HttpOnly; SameSite=Lax']);
  });

  it('moves any other body across unchanged', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const out = jarSetting().applyTo(new Response(bytes, { status: 200 }));
    assert.deepEqual(new Uint8Array(await out.arrayBuffer()), bytes);
  });

  it('keeps a body-less redirect body-less (its own headers cannot change)', () => {
    const out = jarSetting().applyTo(Response.redirect('http://x.test/next', 303));
    assert.equal(out.status, 303);
    assert.equal(out.body, null);
    assert.equal(out.headers.get('location'), 'http://x.test/next');
    assert.equal(out.headers.getSetCookie().length, 1);
  });

  it('never changes a response it was given: one reused by an app carries no earlier visitor’s cookie', () => {
    const shared = new Response(null, { status: 204 });
    const first = jarSetting('first').applyTo(shared);
    assert.notEqual(first, shared);
    assert.deepEqual(shared.headers.getSetCookie(), []);
    const second = jarSetting('second').applyTo(shared);
    assert.deepEqual(second.headers.getSetCookie(), ['sid=second; Path=/; HttpOnly; SameSite=Lax']);
  });

  it('refuses a response whose body was already read', async () => {
    const read = new Response('used');
    await read.text();
    assert.throws(() => jarSetting().applyTo(read), TypeError);
  });
});
