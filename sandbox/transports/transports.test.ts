// The three ways an id travels, end to end through the engine: cookie, URL rewriting, hidden form field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { App } from '../engine/engine.ts';
import { html, htmlPage } from '../engine/html.ts';
import { COOKIE, lab } from '../testing/engine.ts';
import { withIdParam } from './url.ts';

const ID_IN_QUERY = new RegExp(`[?&]${COOKIE}=([A-Za-z0-9_-]{43})`);

/** A counter whose page links everywhere, and routes that redirect. */
const linky: App = (request, session) => {
  const url = new URL(request.url);
  const count = Number(session.get('n') ?? 0) + 1;
  session.set('n', count);
  if (url.pathname === '/go')
    return new Response(null, { status: 303, headers: { location: '/landing?from=go' } });
  if (url.pathname === '/go-absolute') return Response.redirect(new URL('/landing', request.url), 302);
  if (url.pathname === '/go-away') return Response.redirect('https://example.com/elsewhere', 302);
  if (url.pathname === '/json') return Response.json({ count, link: '/next' });
  return htmlPage(
    'Links',
    html`<p id="count">${count}</p>
<a id="root" href="/next">next</a>
<a id="relative" href="page2?x=1&amp;y=a%20b#top">relative</a>
<a id="absolute" href="http://session.test/abs">same site, absolute</a>
<a id="external" href="https://example.com/">external</a>
<a id="frag" href="#frag">fragment</a>
<a id="mail" href="mailto:someone@example.com">mail</a>
<a id="script" href="javascript:void(0)">script</a>
<a id="protocol-relative" href="//evil.test/x">protocol-relative</a>
<a id="single" href='/single'>single quotes</a>
<link rel="stylesheet" href="/style.css">
<form id="post" method="post" action="/submit"><input name="name"></form>
<form id="plain" method="post"><button>no action</button></form>
<a id="bare" href=/bare>unquoted</a>
<form id="search" action="/search"><input name="q"></form>
<form id="search-away" method=GET action="https://example.com/search"><input name="q"></form>`,
  );
};

const countOf = (text: string): number => Number(/<p id="count">(\d+)<\/p>/.exec(text)?.[1]);
const hrefOf = (text: string, id: string): string =>
  new RegExp(`id="${id}" (?:href|method="post" action)=["']([^"']*)["']`)
    .exec(text)?.[1]
    ?.replace(/&amp;/g, '&') ?? '';

describe('when the id travels in the URL (transport=url)', () => {
  it('puts the id on every same-site link and form action, and sets no cookie', async () => {
    const { text, setCookie, response } = await lab(linky, { transport: 'url' }).client().get('/');
    assert.deepEqual(setCookie, []);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', 'the id must not leak in Referer');
    assert.equal(response.headers.get('cache-control'), 'no-store', 'no shared cache may keep the id');
    const id = ID_IN_QUERY.exec(hrefOf(text, 'root'))?.[1] ?? '';
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(hrefOf(text, 'root'), `/next?${COOKIE}=${id}`);
    assert.equal(
      hrefOf(text, 'relative'),
      `page2?x=1&y=a%20b&${COOKIE}=${id}#top`,
      'still relative, bytes kept',
    );
    assert.equal(hrefOf(text, 'absolute'), `http://session.test/abs?${COOKIE}=${id}`);
    assert.equal(hrefOf(text, 'single'), `/single?${COOKIE}=${id}`);
    assert.equal(hrefOf(text, 'post'), `/submit?${COOKIE}=${id}`);
    assert.match(text, /id="relative" href="page2\?x=1&amp;y=a%20b&amp;session_lab_id=/, 'escaped in HTML');
  });

  it('leaves external links, fragments, mailto:, javascript:, //host and stylesheets alone', async () => {
    const { text } = await lab(linky, { transport: 'url' }).client().get('/');
    assert.equal(hrefOf(text, 'external'), 'https://example.com/');
    assert.equal(hrefOf(text, 'frag'), '#frag');
    assert.equal(hrefOf(text, 'mail'), 'mailto:someone@example.com');
    assert.equal(hrefOf(text, 'script'), 'javascript:void(0)');
    assert.equal(hrefOf(text, 'protocol-relative'), '//evil.test/x');
    assert.match(text, /<link rel="stylesheet" href="\/style\.css">/);
  });

  it('keeps the session while the visitor follows links', async () => {
    const browser = lab(linky, { transport: 'url' }).client();
    const first = await browser.get('/');
    const second = await browser.get(hrefOf(first.text, 'root'));
    assert.equal(countOf(second.text), 2);
    const third = await browser.get(`/${hrefOf(second.text, 'relative')}`);
    assert.equal(countOf(third.text), 3);
    // A link without the id is a new visitor: URL sessions end wherever the id is not carried.
    assert.equal(countOf((await browser.get('/')).text), 1);
  });

  it('marks every response that carries the id no-store (pages, redirects, JSON), not one without a session', async () => {
    const { client } = lab(linky, { transport: 'url' });
    const browser = client();
    for (const path of ['/', '/go', '/json']) {
      const { response } = await browser.get(path);
      assert.equal(response.headers.get('cache-control'), 'no-store', path);
    }
    const empty = lab(() => htmlPage('Nothing', html`<a href="/x">x</a>`), { transport: 'url' }).client();
    const { response, text } = await empty.get('/');
    assert.doesNotMatch(text, ID_IN_QUERY);
    assert.equal(response.headers.get('cache-control'), null);
  });

  it('puts the id on redirects to this site (relative or absolute), not on redirects away', async () => {
    const browser = lab(linky, { transport: 'url' }).client();
    const id = ID_IN_QUERY.exec(hrefOf((await browser.get('/')).text, 'root'))?.[1] ?? '';
    const relative = await browser.get(`/go?${COOKIE}=${id}`);
    assert.equal(relative.response.status, 303);
    assert.equal(relative.response.headers.get('location'), `/landing?from=go&${COOKIE}=${id}`);
    const absolute = await browser.get(`/go-absolute?${COOKIE}=${id}`);
    assert.equal(absolute.response.headers.get('location'), `http://session.test/landing?${COOKIE}=${id}`);
    const away = await browser.get(`/go-away?${COOKIE}=${id}`);
    assert.equal(away.response.headers.get('location'), 'https://example.com/elsewhere');
    assert.equal(away.response.headers.get('referrer-policy'), 'no-referrer');
  });

  it('rewrites an unquoted href, and gives a GET form a hidden field (its query is replaced on submit)', async () => {
    const browser = lab(linky, { transport: 'url' }).client();
    const { text } = await browser.get('/');
    const id = ID_IN_QUERY.exec(hrefOf(text, 'root'))?.[1] ?? '';
    assert.match(text, new RegExp(`<a id="bare" href="/bare\\?${COOKIE}=${id}">`));
    const hidden = `<input type="hidden" name="${COOKIE}" value="${id}">`;
    assert.ok(text.includes(`<form id="search" action="/search?${COOKIE}=${id}">${hidden}`), text);
    assert.ok(!text.includes(`<form id="post" method="post" action="/submit?${COOKIE}=${id}">${hidden}`));
    assert.match(
      text,
      /<form id="search-away" method=GET action="https:\/\/example\.com\/search"><input name="q">/,
    );
    // What the browser sends when the GET form is submitted: the fields, the id among them.
    const submitted = await browser.get(`/search?q=hello&${COOKIE}=${id}`);
    assert.equal(countOf(submitted.text), 2);
  });

  it('leaves a non-HTML body as it is', async () => {
    const browser = lab(linky, { transport: 'url' }).client();
    const { text } = await browser.get('/json');
    assert.deepEqual(JSON.parse(text), { count: 1, link: '/next' });
  });

  it('lets anyone holding a shared link use the session: that IS the leak (OWASP "Session ID Exposure")', async () => {
    const { client } = lab(linky, { transport: 'url' });
    const owner = client();
    const link = hrefOf((await owner.get('/')).text, 'root');
    await owner.get(link);
    // The owner pastes the link into a chat; a stranger opens it and continues the owner's session.
    const stranger = client();
    assert.equal(countOf((await stranger.get(link)).text), 3);
  });

  it('ignores an id sent in a cookie', async () => {
    const { client } = lab(linky, { transport: 'url' });
    const id = ID_IN_QUERY.exec(hrefOf((await client().get('/')).text, 'root'))?.[1] ?? '';
    const { text } = await client().get('/', { cookie: `${COOKIE}=${id}` });
    assert.equal(countOf(text), 1);
  });

  it('masks the id in what the inspector shows of the last request', async () => {
    const browser = lab(linky, { transport: 'url' }).client();
    const link = hrefOf((await browser.get('/')).text, 'root');
    await browser.get(link);
    const id = ID_IN_QUERY.exec(link)?.[1] ?? '';
    const { text } = await browser.get(`/_inspect?${COOKIE}=${id}`);
    const body = JSON.parse(text);
    assert.equal(body.data.n, 2);
    assert.match(body.lastExchange.path, /^\/next\?session_lab_id=.{6}….{2}$/);
    assert.ok(!text.includes(id));
  });
});

describe('when an href is given the id (withIdParam)', () => {
  it('adds it, replaces an old one, and keeps everything else byte for byte', () => {
    assert.equal(withIdParam('/a', 'sid', 'X'), '/a?sid=X');
    assert.equal(withIdParam('/a?', 'sid', 'X'), '/a?sid=X');
    assert.equal(withIdParam('/a?q=a+b%20c&flag', 'sid', 'X'), '/a?q=a+b%20c&flag&sid=X');
    assert.equal(withIdParam('/a?sid=OLD&q=1&sid=OLDER#h', 'sid', 'X'), '/a?q=1&sid=X#h');
    assert.equal(withIdParam('?page=2', 'sid', 'X'), '?page=2&sid=X');
    assert.equal(withIdParam('../up#x?y', 'sid', 'X'), '../up?sid=X#x?y');
  });
});

describe('when the id travels in a hidden form field (transport=hidden-field)', () => {
  const form: App = (request, session) => {
    const count = Number(session.get('n') ?? 0) + 1;
    session.set('n', count);
    if (new URL(request.url).pathname === '/text') return new Response('<form action="/x"></form>');
    return htmlPage(
      'Form',
      html`<p id="count">${count}</p><form method="post" action="/again"><button>Again</button></form>
<FORM class="second" method="POST"></FORM><a href="/again">a link</a>
<form id="search" action="/search"><input name="q"></form>`,
    );
  };
  const fieldIn = (text: string, name = COOKIE): string[] =>
    [...text.matchAll(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`, 'g'))].map(
      (m) => m[1] ?? '',
    );

  it('adds the hidden input to every form, sets no cookie and leaves links alone', async () => {
    const { text, setCookie } = await lab(form, { transport: 'hidden-field' }).client().get('/');
    assert.deepEqual(setCookie, []);
    const values = fieldIn(text);
    assert.equal(values.length, 2);
    assert.match(values[0] ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(values[1], values[0]);
    assert.match(text, /<form method="post" action="\/again"><input type="hidden"/);
    assert.match(text, /<a href="\/again">/);
    assert.match(text, /<form id="search" action="\/search"><input name="q">/, 'a GET form gets no id');
  });

  it('never takes the id from a query string, so a link cannot fix a session (OWASP "Session Fixation")', async () => {
    const { client } = lab(form, { transport: 'hidden-field' });
    const [id = ''] = fieldIn((await client().get('/')).text);
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    const viaLink = await client().get(`/?${COOKIE}=${id}`);
    assert.equal(countOf(viaLink.text), 1);
    assert.notEqual(fieldIn(viaLink.text)[0], id, 'the page carries a new id, not the linked one');
    const viaAction = await client().post(`/again?${COOKIE}=${id}`, {});
    assert.equal(countOf(viaAction.text), 1);
    // The session itself is still there for whoever posts its form.
    assert.equal(countOf((await client().post('/again', { [COOKIE]: id })).text), 2);
  });

  it('lets the read-only inspector name the session in its query (it has no form to post)', async () => {
    const { client } = lab(form, { transport: 'hidden-field' });
    const [id = ''] = fieldIn((await client().get('/')).text);
    const body = JSON.parse((await client().get(`/_inspect?${COOKIE}=${id}`)).text);
    assert.equal(body.live, true);
    assert.deepEqual(body.data, { n: 1 });
  });

  it('marks a page whose forms carry the id no-store, and leaves a page without a form cacheable', async () => {
    const browser = lab(form, { transport: 'hidden-field' }).client();
    assert.equal((await browser.get('/')).response.headers.get('cache-control'), 'no-store');
    const formless = lab(
      (_request, session) => {
        session.set('n', 1);
        return htmlPage('No form', html`<p>no form here</p>`);
      },
      { transport: 'hidden-field' },
    ).client();
    const { response, text } = await formless.get('/');
    assert.doesNotMatch(text, /type="hidden"/);
    assert.equal(response.headers.get('cache-control'), null);
  });

  it('escapes the field name in the HTML', async () => {
    const { text } = await lab(form, { transport: 'hidden-field', cookieName: 'sid&x' }).client().get('/');
    assert.equal(fieldIn(text, 'sid&amp;x').length, 2);
  });

  it('keeps the session across form posts, and loses it on a plain link', async () => {
    const browser = lab(form, { transport: 'hidden-field' }).client();
    const [id = ''] = fieldIn((await browser.get('/')).text);
    const posted = await browser.post('/again', { [COOKIE]: id });
    assert.equal(countOf(posted.text), 2);
    const postedAgain = await browser.post('/again', { [COOKIE]: fieldIn(posted.text)[0] ?? '' });
    assert.equal(countOf(postedAgain.text), 3);
    assert.equal(countOf((await browser.get('/again')).text), 1, 'a link carries no form field');
  });

  it('ignores the id in a cookie and in a POST body that is not a form', async () => {
    const { client } = lab(form, { transport: 'hidden-field' });
    const [id = ''] = fieldIn((await client().get('/')).text);
    assert.equal(countOf((await client().get('/', { cookie: `${COOKIE}=${id}` })).text), 1);
    const json = await client().send('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [COOKIE]: id }),
    });
    assert.equal(countOf(json.text), 1);
  });

  it('leaves responses that are not HTML untouched', async () => {
    const { text } = await lab(form, { transport: 'hidden-field' }).client().get('/text');
    assert.equal(text, '<form action="/x"></form>');
  });
});

describe('when the id travels in a cookie (transport=cookie)', () => {
  it('changes no link and no form', async () => {
    const { text } = await lab(linky).client().get('/');
    assert.equal(hrefOf(text, 'root'), '/next');
    assert.doesNotMatch(text, /type="hidden"/);
  });
});
