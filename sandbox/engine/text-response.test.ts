// Pages built from a string keep that string for the node adapter, and behave like any Response.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textResponse, unreadText, withHeaders } from './text-response.ts';

describe('a response built from a string', () => {
  it('is an ordinary Response: same status, headers and body as new Response(text, init)', async () => {
    const init = { status: 201, statusText: 'Made', headers: { 'content-type': 'text/html', 'x-a': '1' } };
    const fast = textResponse('<p>héllo</p>', init);
    const plain = new Response('<p>héllo</p>', init);
    assert.ok(fast instanceof Response);
    assert.equal(fast.status, plain.status);
    assert.equal(fast.statusText, plain.statusText);
    assert.deepEqual([...fast.headers], [...plain.headers]);
    assert.equal(await fast.text(), await plain.text());
  });

  it('gets the same default content type as new Response(text)', () => {
    assert.equal(
      textResponse('x').headers.get('content-type'),
      new Response('x').headers.get('content-type'),
    );
  });

  it('hands its text over only while nobody has read the body', async () => {
    const response = textResponse('once');
    assert.equal(unreadText(response), 'once');
    assert.equal(await response.text(), 'once');
    assert.equal(unreadText(response), undefined);
  });

  it('knows nothing about responses it did not build', () => {
    assert.equal(unreadText(new Response('other')), undefined);
    assert.equal(unreadText(Response.json({ a: 1 })), undefined);
  });
});

describe('withHeaders', () => {
  const headers = () => new Headers({ 'set-cookie': 'a=1', 'cache-control': 'no-store' });

  it('keeps a text response fast, with its status and the new headers', async () => {
    const out = withHeaders(textResponse('page', { status: 404, statusText: 'Gone' }), headers());
    assert.equal(unreadText(out), 'page');
    assert.equal(out.status, 404);
    assert.equal(out.statusText, 'Gone');
    assert.deepEqual(out.headers.getSetCookie(), ['a=1']);
    assert.equal(await out.text(), 'page');
  });

  it('moves any other body across unchanged', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const out = withHeaders(new Response(bytes, { status: 200 }), headers());
    assert.equal(unreadText(out), undefined);
    assert.deepEqual(new Uint8Array(await out.arrayBuffer()), bytes);
  });

  it('keeps a body-less redirect body-less', () => {
    const out = withHeaders(Response.redirect('http://x.test/next', 303), new Headers({ location: '/next' }));
    assert.equal(out.status, 303);
    assert.equal(out.body, null);
  });

  it('does not replay a text whose body was already read', async () => {
    const read = textResponse('used');
    await read.text();
    assert.throws(() => withHeaders(read, headers()), TypeError);
  });
});
