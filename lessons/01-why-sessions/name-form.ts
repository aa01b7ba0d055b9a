// The seed's own example (§16.1): page 1 asks for your first and last name, pages 2 and 3 use it.
// Only the session id travels between pages; the name stays on the server.
//
// - Saving is Post/Redirect/Get: the POST answers 303 → page 2, so a reload of page 2 never re-posts.
// - Page 2 → page 3 is an ordinary link and the actions are forms. The app never asks which transport
//   carries the id: the cookie transport carries it everywhere, the URL transport rewrites links, forms
//   and the redirect, and the hidden-field transport rides only inside form submissions that answer
//   with a page, so it loses the visitor at the 303 and at every plain link (the tests show all three).
// - Saving a name is this app's log in: the session gets a new id there (chapter 11, fixation).
import type { App } from '../../sandbox/engine/engine.ts';
import { html, htmlPage, type SafeHtml } from '../../sandbox/engine/html.ts';
import type { Session } from '../../sandbox/engine/session.ts';
import {
  fullName,
  hasErrors,
  type Name,
  nameForm,
  RETRY_TITLE,
  readNameForm,
  retryBody,
} from './name-fields.ts';

// A page that shows a name is personal: no shared cache may keep it (OWASP Session Management,
// "Web Content Caching").
const PRIVATE = { 'cache-control': 'no-store' };

export const nameFormApp: App = async (request, session, { base }) => {
  const path = new URL(request.url).pathname.slice(base.length);
  const method = request.method;
  if (path === '' && method === 'GET') return pageOne(base, session);
  if (path === 'page2' && method === 'GET') return pageTwo(base, session);
  if (path === 'page3' && method === 'GET') return pageThree(base, session);
  if (path === 'save' && method === 'POST') return save(request, base, session);
  if (path === 'forget' && method === 'POST') {
    session.destroy();
    return seeOther(base);
  }
  if (['', 'page2', 'page3', 'save', 'forget'].includes(path)) {
    const allow = path === 'save' || path === 'forget' ? 'POST' : 'GET';
    return page('Wrong method', html`<h1>Wrong method</h1><p>This address only answers ${allow}.</p>`, {
      status: 405,
      headers: { allow },
    });
  }
  return page('Not found', html`<h1>No such page</h1>`, { status: 404 });
};

function rememberedName(session: Session): Name | undefined {
  const firstName = session.get('firstName');
  const lastName = session.get('lastName');
  if (typeof firstName !== 'string' || typeof lastName !== 'string') return undefined;
  return { firstName, lastName };
}

function pageOne(base: string, session: Session): Response {
  const known = rememberedName(session);
  const intro = known
    ? html`<p>The server already knows you as <strong>${fullName(known)}</strong>.
<a href="${base}page2">Go to page 2</a>, or change your name below.</p>`
    : html`<p>Type your name once; pages 2 and 3 will greet you by it.</p>`;
  return page(
    'Page 1 – your name',
    html`<h1>Page 1: what is your name?</h1>
${intro}
${nameForm(`${base}save`, known ?? { firstName: '', lastName: '' })}
${known ? forgetButton(base) : ''}`,
  );
}

async function save(request: Request, base: string, session: Session): Promise<Response> {
  const { name, errors } = await readNameForm(request);
  if (hasErrors(errors)) {
    // Re-rendered with what was typed, so nothing is lost; the session is not touched.
    return page(RETRY_TITLE, retryBody(base, name, errors), { status: 422 });
  }
  // Who this session belongs to changes here, so its id does too: an id planted before (a link that
  // carries the attacker's id, with the URL transport) is worthless once the victim has saved.
  if (!session.isNew) session.regenerate();
  session.set('firstName', name.firstName);
  session.set('lastName', name.lastName);
  return seeOther(`${base}page2`);
}

function pageTwo(base: string, session: Session): Response {
  const known = rememberedName(session);
  if (!known) return unknown('Page 2', base);
  return page(
    'Page 2 – hello',
    html`<h1>Hello ${fullName(known)}</h1>
<p>This is page 2. Your browser did not send your name again: it sent a session id, and the server
looked your name up in the session it keeps for that id.</p>
<nav aria-label="Pages"><p><a href="${base}page3">Go to page 3</a> · <a href="${base}">Back to page 1</a></p></nav>
${forgetButton(base)}`,
  );
}

function pageThree(base: string, session: Session): Response {
  const known = rememberedName(session);
  if (!known) return unknown('Page 3', base);
  return page(
    'Page 3 – still you',
    html`<h1>Page 3</h1>
<p>Still here, ${known.firstName}? The server has not forgotten that your last name is ${known.lastName}.</p>
<nav aria-label="Pages"><p><a href="${base}page2">Back to page 2</a> · <a href="${base}">Page 1</a></p></nav>
${forgetButton(base)}`,
  );
}

function unknown(title: string, base: string): Response {
  return page(
    `${title} – who are you?`,
    html`<h1>${title}</h1>
<p>I don't know your name: this request brought no session that holds one.</p>
<p><a href="${base}">Tell me your name on page 1</a></p>`,
  );
}

function forgetButton(base: string): SafeHtml {
  return html`<form method="post" action="${base}forget"><button type="submit">Forget me</button></form>`;
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, ...PRIVATE } });
}

function page(title: string, body: SafeHtml, init: ResponseInit = {}): Response {
  return htmlPage(title, html`<main>${body}</main>`, {
    ...init,
    headers: { ...PRIVATE, ...(init.headers as Record<string, string> | undefined) },
  });
}
