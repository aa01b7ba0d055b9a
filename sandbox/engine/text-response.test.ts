// Pages built from a string keep that string for the node adapter, and behave like any Response.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { textResponse, unreadText, untouchedHeaders, withHeaders } from './text-response.ts';

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

  it('reads like new Response(text) through every body method, once', async () => {
    const body = '{"a":[1,"é"]}';
    const init = { headers: { 'content-type': 'application/json' } };
    assert.deepEqual(await textResponse(body, init).json(), { a: [1, 'é'] });
    assert.deepEqual(
      new Uint8Array(await textResponse(body, init).arrayBuffer()),
      new Uint8Array(await new Response(body, init).arrayBuffer()),
    );
    assert.deepEqual(await textResponse(body, init).bytes(), await new Response(body, init).bytes());
    const blob = await textResponse(body, init).blob();
    assert.equal(blob.type, 'application/json');
    assert.equal(await blob.text(), body);
    const form = await textResponse('a=1&b=2', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }).formData();
    assert.equal(form.get('b'), '2');
    const once = textResponse(body);
    assert.equal(once.bodyUsed, false);
    await once.text();
    assert.equal(once.bodyUsed, true);
    await assert.rejects(once.text(), TypeError);
  });

  it('gives its body as a stream, and stops handing the text over once the stream is out', async () => {
    const response = textResponse('streamed');
    const body = response.body;
    assert.ok(body instanceof ReadableStream);
    assert.equal(response.body, body, 'the same stream each time');
    assert.equal(unreadText(response), undefined);
    assert.equal(await new Response(body).text(), 'streamed');
    assert.equal(response.bodyUsed, true);
  });

  it('clones into two independent readable copies, before or after the body was touched', async () => {
    const fresh = textResponse('twice', { status: 202, headers: { 'x-a': '1' } });
    const copy = fresh.clone();
    assert.equal(copy.status, 202);
    assert.equal(copy.headers.get('x-a'), '1');
    assert.equal(await copy.text(), 'twice');
    assert.equal(await fresh.text(), 'twice');
    assert.throws(() => fresh.clone(), TypeError);
    const touched = textResponse('tee', { status: 203 });
    void touched.body;
    const branch = touched.clone();
    assert.equal(branch.status, 203);
    assert.deepEqual([await branch.text(), await touched.text()], ['tee', 'tee']);
  });

  it('refuses a body on a status that forbids one, as new Response does', () => {
    assert.throws(() => textResponse('no', { status: 204 }), TypeError);
    assert.throws(() => new Response('no', { status: 204 }), TypeError);
  });

  it('reads every form of init as new Response does, and refuses what it refuses', async () => {
    const inits: ResponseInit[] = [
      {},
      { status: 299, statusText: 'Fine' },
      { headers: { 'X-Upper': ' padded ', 'x-upper2': 'a' } },
      { headers: { 'Content-Type': 'text/html', 'content-TYPE': 'text/plain' } },
      { headers: new Headers({ 'x-a': '1', 'set-cookie': 'a=1' }) },
      {
        headers: [
          ['x-b', '2'],
          ['x-b', '3'],
        ],
      },
      { headers: { 'set-cookie': 'c=1', __proto__: null } as unknown as HeadersInit },
      { headers: { __proto__: 'x' } as unknown as HeadersInit },
      { headers: { 'x-number': 5 } as unknown as HeadersInit },
    ];
    for (const init of inits) {
      const fast = textResponse('t', init);
      const plain = new Response('t', init);
      assert.equal(fast.status, plain.status);
      assert.equal(fast.statusText, plain.statusText);
      assert.equal(fast.ok, plain.ok);
      assert.deepEqual([...fast.headers], [...plain.headers], JSON.stringify(init));
      assert.deepEqual(fast.headers.getSetCookie(), plain.headers.getSetCookie());
      assert.equal(await fast.text(), 't');
    }
    const refused: ResponseInit[] = [
      { status: 99 },
      { status: 600 },
      { statusText: 'bad\nline' },
      { headers: { 'bad name': 'x' } },
      { headers: { 'x-a': 'line\nbreak' } },
      { headers: { 'x-a': 'é€' } },
    ];
    for (const init of refused) {
      const expected = (() => {
        try {
          new Response('t', init);
        } catch (error) {
          return error as Error;
        }
      })();
      assert.ok(expected, JSON.stringify(init));
      assert.throws(() => textResponse('t', init), { name: expected.name }, JSON.stringify(init));
    }
  });

  it('answers type, url, redirected and bodyUsed without making its body', () => {
    const fast = textResponse('quiet');
    const plain = new Response('quiet');
    for (const key of ['type', 'url', 'redirected', 'bodyUsed', 'ok'] as const)
      assert.equal(fast[key], plain[key]);
    assert.equal(unreadText(fast), 'quiet');
  });

  it('hands its headers over as names and values until someone asks for the Headers', () => {
    const response = textResponse('h', { headers: { 'X-Demo': ' yes ' } });
    assert.deepEqual(untouchedHeaders(response), {
      'x-demo': 'yes',
      'content-type': 'text/plain;charset=UTF-8',
    });
    response.headers.set('x-later', '1');
    assert.equal(
      untouchedHeaders(response),
      undefined,
      'they may have changed: the Headers is the truth now',
    );
    assert.equal(response.headers.get('x-demo'), 'yes');
    assert.equal(untouchedHeaders(new Response('other')), undefined);
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
