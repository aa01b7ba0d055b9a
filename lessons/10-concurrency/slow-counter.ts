// The page-view counter with a pause between reading and writing, like a real handler that calls a
// database or another service in between. With locking off, parallel requests read the same count
// and the later writes overwrite the earlier ones: lost updates.
import type { App } from '../../sandbox/engine/engine.ts';
import { html, htmlPage } from '../../sandbox/engine/html.ts';

/** Long enough that 20 parallel requests overlap, short enough that a click feels instant. */
const PAUSE_MS = 20;

export const slowCounter: App = async (_request, session, { base }) => {
  // #region read-wait-write
  const count = Number(session.get('pageViews') ?? 0) + 1;
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  session.set('pageViews', count);
  // #endregion read-wait-write
  return htmlPage(
    'Slow counter',
    html`<h1>Count: <output id="count">${count}</output></h1>
<p>This counter waits ${PAUSE_MS} ms between reading the count and writing it back.</p>
<p><a href="${base}">Count again</a></p>`,
  );
};
