// Small apps for the sandbox's own tests, so they depend on no lesson: a page counter, and a form that
// keeps a name (a POST that saves, a 303, a page that reads it back, 404 elsewhere).
import { fileURLToPath } from 'node:url';
import type { AppRegistry } from '../cli/apps.ts';
import type { App } from '../engine/engine.ts';
import { html, htmlPage } from '../engine/html.ts';

/** Counts the session's page views and shows the count in `<output id="count">`. */
export const counter: App = (_request, session, { base }) => {
  const views = Number(session.get('pageViews') ?? 0) + 1;
  session.set('pageViews', views);
  return htmlPage(
    'Count',
    html`<p>Views: <output id="count">${views}</output></p><a href="${base}">Again</a>`,
  );
};

/** `/` shows a form, `POST /save` keeps the name under a new id, `/page2` greets by it. */
export const nameForm: App = async (request, session, { base }) => {
  const path = new URL(request.url).pathname.slice(base.length);
  if (path === '' && request.method === 'GET') {
    return htmlPage('Name', html`<form method="post" action="${base}save"><input name="firstName"></form>`);
  }
  if (path === 'save' && request.method === 'POST') {
    const form = await request.formData();
    if (!session.isNew) session.regenerate();
    session.set('firstName', String(form.get('firstName') ?? ''));
    session.set('lastName', String(form.get('lastName') ?? ''));
    return new Response(null, { status: 303, headers: { location: `${base}page2` } });
  }
  if (path === 'page2' && request.method === 'GET') {
    return htmlPage('Hello', html`<p>Hello ${String(session.get('firstName') ?? 'stranger')}</p>`);
  }
  return htmlPage('Not found', html`<p>No such page</p>`, { status: 404 });
};

/** What `sandbox-main.ts` serves, under the names the CLI tests use. */
export const APPS = {
  counter: { title: 'Page-view counter', defaultStore: 'ram', create: async () => ({ app: counter }) },
  'name-form': { title: 'Name form', defaultStore: 'ram', create: async () => ({ app: nameForm }) },
} satisfies AppRegistry;

/** This file, for worker processes (apps.ts `AppSource`). */
export const APPS_MODULE = fileURLToPath(import.meta.url);
