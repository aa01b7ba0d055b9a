// Seed §16.7's example app on its own storage: it counts your visits (the seed's `counter`), keeps a
// short note you can edit, and shows the live `session_data` table your session is stored in. The table
// is shared by every visitor: only your own row shows its data; the others show their key's first
// characters, their size and their expiry.
//
// The note form answers with the page itself rather than a redirect: it is the one way of moving that
// every transport carries, the hidden-field transport included (it loses the id on any redirect or
// plain link; see lessons/01-why-sessions/name-form.ts). Re-sending the same note changes nothing.
import { isDeepStrictEqual } from 'node:util';
import type { AppInstance } from '../../sandbox/cli/apps.ts';
import type { SessionConfig } from '../../sandbox/engine/config.ts';
import type { App } from '../../sandbox/engine/engine.ts';
import { SessionLabError } from '../../sandbox/engine/errors.ts';
import { excerpt, html, htmlPage, type SafeHtml } from '../../sandbox/engine/html.ts';
import type { Session } from '../../sandbox/engine/session.ts';
import type { SessionData } from '../../sandbox/engine/types.ts';
import { customStorePath, type SessionRow, sessionFunctions } from './session-functions.ts';
import { type TableReader, tableReaderFor } from './table-readers.ts';

/** Matches the textarea's `maxlength`. */
export const NOTE_MAX_LENGTH = 200;
const TABLE_ROWS = 20;
export const CUSTOM_FUNCTIONS_NAME = 'custom (lessons/08-your-own-storage/session-functions.ts)';

export async function createDbStore(config: SessionConfig): Promise<AppInstance> {
  const functions = sessionFunctions(customStorePath(config));
  const reader = tableReaderFor(config, functions);
  return {
    app: dbStoreApp(reader),
    custom: {
      save: functions.saveSessionData,
      load: functions.loadSessionData,
      destroy: functions.deleteSessionData,
      name: CUSTOM_FUNCTIONS_NAME,
    },
    async close() {
      await reader?.close();
      functions.close();
    },
  };
}

/** The session as it arrived, before this request changes it: how the page finds your row. */
interface Loaded {
  data: SessionData;
  expiresAt: number | undefined;
}

export function dbStoreApp(reader: TableReader | null): App {
  return async (request, session, { base, store }) => {
    const path = new URL(request.url).pathname.slice(base.length);
    const loaded: Loaded = {
      data: Object.fromEntries(session.entries()),
      expiresAt: session.expiresAt?.getTime(),
    };
    let noteError: string | undefined;
    let typedNote: string | undefined;
    if (path === 'note' && request.method === 'POST') {
      const form = await request.formData().catch(() => new FormData());
      const raw = form.get('note');
      // Browsers send a textarea's line breaks as CRLF but count them as one character for maxlength.
      const note = (typeof raw === 'string' ? raw : '').replace(/\r\n?/g, '\n').trim();
      noteError = checkNote(note);
      // Shown again to be fixed; a huge post is not echoed whole (`MAX_ECHO` characters at most).
      if (noteError) typedNote = excerpt(note);
      else if (note === '') session.delete('note');
      else session.set('note', note);
    } else if (!(path === '' && request.method === 'GET')) {
      const status = path === '' || path === 'note' ? 405 : 404;
      const text = status === 405 ? 'This address does not answer that method.' : 'No such page.';
      return htmlPage('Not here', html`<main><h1>${text}</h1><p><a href="${base}">Back</a></p></main>`, {
        status,
      });
    }
    // Bad input changes nothing, not even the count.
    if (!noteError) session.set('counter', Number(session.get('counter') ?? 0) + 1);
    const table = await tableSection(reader, store, loaded);
    return htmlPage(
      'Your own session storage',
      html`<main>
<h1>Your own session storage</h1>
<p>You have been here <output id="counter">${session.get('counter') ?? 0}</output> time(s).</p>
${noteSection(base, session, noteError, typedNote)}
<p><a href="${base}">Visit again</a></p>
${table}
</main>`,
      { status: noteError ? 422 : 200, headers: { 'cache-control': 'no-store' } },
    );
  };
}

function checkNote(note: string): string | undefined {
  if (note.length > NOTE_MAX_LENGTH)
    return `The note is ${note.length} characters long; at most ${NOTE_MAX_LENGTH} fit. Nothing was saved.`;
  if ([...note].some((c) => /\p{Cc}/u.test(c) && c !== '\n' && c !== '\t'))
    return 'The note contains a control character. Nothing was saved.';
  return undefined;
}

function noteSection(base: string, session: Session, error?: string, typed?: string): SafeHtml {
  const saved = session.get('note');
  const shown =
    typeof saved === 'string'
      ? html`<p>Your note: <q style="white-space: pre-wrap">${saved}</q></p>`
      : html`<p>You have no note yet.</p>`;
  return html`${shown}
<form method="post" action="${base}note">
<label for="note">Your note (at most ${NOTE_MAX_LENGTH} characters; empty removes it)</label>
<textarea id="note" name="note" rows="3" cols="40" maxlength="${NOTE_MAX_LENGTH}"${error ? html` aria-invalid="true" aria-describedby="note-error"` : ''}>${typed ?? (typeof saved === 'string' ? saved : '')}</textarea>
${error ? html`<p id="note-error" class="error" role="alert">${error}</p>` : ''}
<p><button type="submit">Save note</button></p>
</form>`;
}

async function tableSection(reader: TableReader | null, store: string, loaded: Loaded): Promise<SafeHtml> {
  const heading = html`<h2 id="table-heading">The <code>session_data</code> table</h2>`;
  if (!reader) {
    return html`<section aria-labelledby="table-heading">${heading}
<p>The table view needs a database store. This page runs on the <code>${store}</code> store, which keeps
no <code>session_data</code> table; choose custom, sqlite, postgres or mysql
(<code>npm run sandbox -- db-store --store sqlite</code>).</p></section>`;
  }
  let rows: SessionRow[];
  try {
    rows = await reader.read(TABLE_ROWS);
  } catch (error) {
    const hint = error instanceof SessionLabError ? error.hint : '';
    return html`<section aria-labelledby="table-heading">${heading}
<div class="error" role="status"><p>The table cannot be shown right now: ${(error as Error).message}</p><p>${hint}</p></div></section>`;
  }
  const now = Date.now();
  const mine = rows.findIndex((row) => isOwnRow(row, loaded));
  return html`<section aria-labelledby="table-heading">${heading}
<p>Read live from ${reader.where}, as this request found it. The engine saves your visit after this page
is built, so ${mine === -1 ? 'a new session appears from your next visit on' : 'your row still shows the count before this visit'}.
Other visitors' rows show only their key's first characters, their size and their expiry: their data is theirs.</p>
<table>
<caption>${rows.length === 0 ? 'The table is empty.' : `${rows.length} row(s), at most ${TABLE_ROWS}, most recently used first`}</caption>
<thead><tr><th scope="col">id_hash</th><th scope="col">data</th><th scope="col">size</th><th scope="col">created</th><th scope="col">expires</th></tr></thead>
<tbody>${rows.map((row, i) => rowHtml(row, i === mine, now))}</tbody>
</table></section>`;
}

/**
 * The app never sees its session's id or hash, so it finds its row by what it does see: the data and
 * expiry it was loaded with. Two sessions saved in the same millisecond with the same data would tie,
 * which shows a visitor nothing new: a row is shown in full only when its data equals their own.
 */
function isOwnRow(row: SessionRow, loaded: Loaded): boolean {
  if (loaded.expiresAt === undefined || row.expiresAt !== Math.floor(loaded.expiresAt)) return false;
  try {
    return isDeepStrictEqual(JSON.parse(row.data), loaded.data);
  } catch {
    return false;
  }
}

/** Your row in full; another visitor's as key prefix, size and expiry only (their data is theirs). */
function rowHtml(row: SessionRow, own: boolean, now: number): SafeHtml {
  const seconds = Math.round((row.expiresAt - now) / 1000);
  const expires = seconds >= 0 ? `in ${seconds} s` : `expired ${-seconds} s ago`;
  const size = `${Buffer.byteLength(row.data)} bytes`;
  const key = html`<code>${row.idHash.slice(0, 10)}…</code>`;
  if (!own) {
    return html`<tr class="other">
<td>${key}</td><td><em>another visitor's: not shown</em></td><td>${size}</td><td><em>not shown</em></td><td>${expires}</td></tr>`;
  }
  const date = new Date(row.createdAt);
  const created = Number.isNaN(date.getTime()) ? String(row.createdAt) : date.toISOString();
  return html`<tr class="own" style="background: Mark; color: MarkText">
<td><strong>yours:</strong> ${key}</td>
<td><code>${row.data}</code></td><td>${size}</td><td>${created}</td><td>${expires}</td></tr>`;
}
