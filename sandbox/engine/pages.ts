// What a visitor sees when something goes wrong: a clear page with the cause and what to do, never a stack trace.
import { SessionLabError } from './errors.ts';
import { html, htmlPage } from './html.ts';
import { SessionValueError } from './session.ts';

export function errorPage(error: unknown, store: string): Response {
  if (error instanceof SessionLabError) {
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (error.status === 503) headers['retry-after'] = '5';
    return htmlPage(
      'Session error',
      html`<div class="error" role="alert"><h1>${titleFor(error.status)}</h1><p>${error.message}</p><p>${error.hint}</p></div>`,
      { status: error.status, headers },
    );
  }
  if (error instanceof SessionValueError) {
    return htmlPage(
      'Session error',
      html`<div class="error" role="alert"><h1>The app stored a value a session cannot hold</h1><p>${error.message}</p></div>`,
      {
        status: 500,
      },
    );
  }
  console.error(`[session-lab] [${store}] unexpected error:`, error);
  return htmlPage(
    'Server error',
    html`<div class="error" role="alert"><h1>Something went wrong on the server</h1><p>The error was logged. Your session was not changed by this request.</p></div>`,
    { status: 500 },
  );
}

function titleFor(status: number): string {
  if (status === 503) return 'The session store is not available';
  if (status === 413) return 'The session is too large';
  if (status === 403) return 'Refused: this request came from another site';
  return 'The session could not be used';
}
