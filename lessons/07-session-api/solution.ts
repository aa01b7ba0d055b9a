// Chapter 7's "Try it", solved: the page-view counter welcomes a first visit and can start over.
import type { App } from '../../sandbox/engine/engine.ts';
import { html, htmlPage } from '../../sandbox/engine/html.ts';

export const counterWithReset: App = (request, session, { base }) => {
  // #region reset
  if (new URL(request.url).searchParams.has('reset')) {
    session.destroy();
    return htmlPage('Page-view counter', html`<h1>Count reset</h1><p><a href="${base}">Start again</a></p>`);
  }
  // #endregion reset
  const count = Number(session.get('pageViews') ?? 0) + 1;
  session.set('pageViews', count);
  // #region welcome
  const greeting = session.isNew
    ? html`<h1>Welcome! This is your first visit.</h1>`
    : html`<h1>Hello, you have been here <output id="count">${count}</output> times</h1>`;
  // #endregion welcome
  return htmlPage(
    'Page-view counter',
    html`${greeting}<p><a href="${base}">Count again</a> · <a href="${base}?reset">Start over</a></p>`,
  );
};
