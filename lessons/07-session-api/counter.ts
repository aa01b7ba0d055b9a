// The page-view counter from the seed (§16.6), on the Session Lab engine.
import type { App } from '../../sandbox/engine/engine.ts';
import { html, htmlPage } from '../../sandbox/engine/html.ts';

export const counter: App = (_request, session, { base }) => {
  const count = Number(session.get('pageViews') ?? 0) + 1;
  session.set('pageViews', count);
  return htmlPage(
    'Page-view counter',
    html`<h1>Hello, you have been here <output id="count">${count}</output> time${count === 1 ? '' : 's'}</h1>
<p><a href="${base}">Count again</a></p>`,
  );
};
