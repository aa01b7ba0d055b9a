// "HTTP forgets" (seed §16.1: "each page requested by a client is independent from the other pages"):
// the same first page as name-form, and no session at all. The POST can greet you because your name
// is in that very request's body; page 2 is a new request that carries nothing, so you are a stranger
// again. This app never touches `session`, so the engine stores nothing and sets no cookie.
//
// The greeting answers the POST directly instead of redirecting (Post/Redirect/Get, as name-form does):
// with nowhere to keep the name, a redirect would have nothing to show.
import type { App } from '../../sandbox/engine/engine.ts';
import { html, htmlPage, type SafeHtml } from '../../sandbox/engine/html.ts';
import { fullName, hasErrors, nameForm, RETRY_TITLE, readNameForm, retryBody } from './name-fields.ts';

export const forgetfulApp: App = async (request, _session, { base }) => {
  const path = new URL(request.url).pathname.slice(base.length);
  if (path === '' && request.method === 'GET') {
    return page(
      'Page 1 – your name (no session)',
      html`<h1>Page 1: what is your name?</h1>
<p>This app has no session. Type your name, then see what page 2 remembers.</p>
${nameForm(`${base}save`, { firstName: '', lastName: '' })}`,
    );
  }
  if (path === 'save' && request.method === 'POST') {
    const { name, errors } = await readNameForm(request);
    if (hasErrors(errors)) {
      return page(RETRY_TITLE, retryBody(base, name, errors), { status: 422 });
    }
    return page(
      'Hello',
      html`<h1>Hello ${fullName(name)}</h1>
<p>I know your name right now only because it is in the form you just sent.</p>
<p><a href="${base}page2">Go to page 2</a></p>`,
    );
  }
  if (path === 'page2' && request.method === 'GET') {
    return page(
      'Page 2 – who are you?',
      html`<h1>Page 2</h1>
<p>I don't know your name. This request carried no name and no session id, and the server kept
nothing from your last one: every HTTP request starts from scratch.</p>
<p><a href="${base}">Back to page 1</a></p>`,
    );
  }
  return page('Not found', html`<h1>No such page</h1>`, { status: 404 });
};

function page(title: string, body: SafeHtml, init: ResponseInit = {}): Response {
  return htmlPage(title, html`<main>${body}</main>`, init);
}
