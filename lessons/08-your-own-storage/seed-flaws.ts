// The seed's three flaws, live: each page runs the seed-faithful functions (seed-faithful.ts) and the
// fixed ones (session-functions.ts) side by side, on the visitor's own scratch databases (scratch.ts).
//   ''        your scratch database as it is now, and a reset
//   'sql'     a session value saved by both sides: the faithful one pastes it into its SQL
//   'pickle'  a stored text loaded by both sides: the faithful one builds whatever type it names
//   'race'    a writer and two readers at once: the faithful delete-then-insert leaves gaps
// Everything shown is escaped (html.ts); forms answer with the page itself.

import type { AppInstance } from '../../sandbox/cli/apps.ts';
import type { SessionConfig } from '../../sandbox/engine/config.ts';
import type { App } from '../../sandbox/engine/engine.ts';
import { excerpt, html, htmlPage, type SafeHtml } from '../../sandbox/engine/html.ts';
import { fixedForRace, type RaceResult, race } from './race.ts';
import { OverBoundError, OWN_ID, RoomFullError, type Scratch, ScratchRoom } from './scratch.ts';
import { parseData } from './session-functions.ts';
import { FenceError } from './sql-fence.ts';

/** Longest session value or stored text a form takes. */
export const MAX_VALUE_LENGTH = 300;
/** Reads the other table into your own session value. */
export const SQL_PAYLOAD = "x' || (select password_hash from accounts where name='admin') || '";
/** Names the gadget class: building it wipes your scratch session table. */
export const GADGET_PAYLOAD = '{"$type":"Session","note":{"$type":"Wipe"}}';
const SHOWN_CHARS = 400;
const HOUR = 3_600_000;

export async function createSeedFlaws(_config: SessionConfig): Promise<AppInstance> {
  const room = new ScratchRoom();
  return {
    app: seedFlawsApp(room),
    async close() {
      room.close();
    },
  };
}

type Page = (scratch: Scratch, form: FormData | null) => Promise<SafeHtml>;
const PAGES: Record<string, { title: string; page: Page }> = {
  '': { title: 'Your scratch database', page: async (scratch) => overview(scratch) },
  sql: { title: '1. SQL by string formatting', page: sqlPage },
  pickle: { title: '2. A format that builds any type', page: picklePage },
  race: { title: '3. Delete, then insert', page: racePage },
};

export function seedFlawsApp(room: ScratchRoom): App {
  return async (request, session, { base }) => {
    const path = new URL(request.url).pathname.slice(base.length);
    const post = request.method === 'POST';
    const known = Object.hasOwn(PAGES, path) || path === 'reset';
    if (!known || (request.method !== 'GET' && !post) || (path === 'reset' && !post)) {
      const text = known ? 'This address does not answer that method.' : 'No such page.';
      return htmlPage('Not here', html`<main><h1>${text}</h1><p><a href="${base}">Back</a></p></main>`, {
        status: known ? 405 : 404,
      });
    }
    const form = post ? await request.formData().catch(() => new FormData()) : null;
    let scratch: Scratch;
    try {
      scratch = path === 'reset' ? room.reset(session) : room.for(session);
    } catch (error) {
      if (!(error instanceof RoomFullError)) throw error;
      return htmlPage(
        'Seed flaws: full',
        html`<main><h1>Every scratch database is in use</h1><p role="alert">This demo keeps a limited number of
scratch databases, and all of them were used in the last few minutes. Try again in ${error.retryAfter} s.</p></main>`,
        { status: 503, headers: { 'retry-after': String(error.retryAfter), 'cache-control': 'no-store' } },
      );
    }
    const entry = PAGES[path === 'reset' ? '' : path] ?? { title: '', page: async () => html`` };
    let body: SafeHtml;
    try {
      body = await entry.page(scratch, form);
    } catch (error) {
      if (!(error instanceof OverBoundError)) throw error;
      scratch = room.reset(session);
      body = html`<p class="error" role="alert">Your scratch database passed its bound (${error.message}), so it was
reset to its first rows.</p>${overview(scratch)}`;
    }
    const notice = path === 'reset' ? html`<p role="status">Your scratch database was reset.</p>` : '';
    return htmlPage(
      `Seed flaws: ${entry.title}`,
      html`<main>${nav(base)}<h1>${entry.title}</h1>${notice}${body}</main>`,
      { headers: { 'cache-control': 'no-store' } },
    );
  };
}

function nav(base: string): SafeHtml {
  const links = Object.entries(PAGES).map(
    ([path, { title }], i) => html`${i ? ' · ' : ''}<a href="${base}${path}">${title}</a>`,
  );
  return html`<nav aria-label="The seed's flaws">${links}</nav>`;
}

function overview(scratch: Scratch): SafeHtml {
  return html`<p>Only you reach this database: it lives in the server's memory, found through a random key
in your session, and holds made-up rows. Your row is <code>${OWN_ID}</code>.</p>
${seedTable(scratch)}
${accountsTable(scratch)}
<form method="post" action="reset"><button type="submit">Reset your scratch database</button></form>`;
}

function seedTable(scratch: Scratch): SafeHtml {
  const rows = scratch.seedRows();
  return html`<table id="seed-table">
<caption>Seed-faithful <code>session_data</code>: ${rows.length} row(s)</caption>
<thead><tr><th scope="col">sessionId</th><th scope="col">sessionData</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${excerpt(String(r.sessionId), 60)}</td><td><code>${excerpt(String(r.sessionData), SHOWN_CHARS)}</code></td></tr>`)}</tbody>
</table>`;
}

function accountsTable(scratch: Scratch): SafeHtml {
  return html`<table id="accounts">
<caption>Its other table, <code>accounts</code>, which no session should reach</caption>
<thead><tr><th scope="col">name</th><th scope="col">password_hash</th></tr></thead>
<tbody>${scratch.accounts().map((a) => html`<tr><td>${a.name}</td><td><code>${a.password_hash}</code></td></tr>`)}</tbody>
</table>`;
}

function fixedTable(scratch: Scratch): SafeHtml {
  const rows = scratch.fixed.listSessionRows(10);
  return html`<table id="fixed-table">
<caption>Fixed <code>session_data</code>: ${rows.length} row(s)</caption>
<thead><tr><th scope="col">id_hash</th><th scope="col">data</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.idHash}</td><td><code>${excerpt(r.data, SHOWN_CHARS)}</code></td></tr>`)}</tbody>
</table>`;
}

/** A form field as text, cut to the longest the page takes. */
function field(form: FormData | null, name: string): string | undefined {
  const value = form?.get(name);
  return typeof value === 'string' ? value.slice(0, MAX_VALUE_LENGTH) : undefined;
}

function valueForm(action: string, name: string, label: string, value: string, submit: string): SafeHtml {
  return html`<form method="post" action="${action}">
<label for="${name}">${label} (at most ${MAX_VALUE_LENGTH} characters)</label>
<textarea id="${name}" name="${name}" rows="3" cols="50" maxlength="${MAX_VALUE_LENGTH}">${value}</textarea>
<p><button type="submit">${submit}</button></p>
</form>`;
}

function side(id: string, heading: string, body: SafeHtml): SafeHtml {
  return html`<section id="${id}" aria-labelledby="${id}-heading"><h2 id="${id}-heading">${heading}</h2>${body}</section>`;
}

/** What the faithful side's statement did, or why it could not run. */
function failure(error: unknown): SafeHtml {
  if (error instanceof FenceError)
    return html`<p class="error" role="alert">The lab's fence refused the statement (${error.message}). It keeps
one statement from overloading a shared server; it is not how injection is fixed.</p>`;
  if (error instanceof OverBoundError) throw error;
  return html`<p class="error" role="alert">The faithful functions failed: <code>${excerpt((error as Error).message, SHOWN_CHARS)}</code></p>`;
}

async function sqlPage(scratch: Scratch, form: FormData | null): Promise<SafeHtml> {
  const value = field(form, 'value');
  const intro = html`<p>Save a session value under your row on both sides. Try a value with a quote, or the
ready-made one: <code id="sql-payload">${SQL_PAYLOAD}</code></p>
${valueForm('sql', 'value', 'Your session value, saved as your note', value ?? SQL_PAYLOAD, 'Save it on both sides')}`;
  if (value === undefined) return html`${intro}${accountsTable(scratch)}`;

  let seedResult: SafeHtml;
  try {
    await scratch.seed.saveSessionData(OWN_ID, { note: value });
    const loaded = await scratch.seed.loadSessionData(OWN_ID);
    seedResult = html`<p>Your note as the faithful load returns it:
<output id="seed-note">${excerpt(String(loaded?.note ?? '(no session)'), SHOWN_CHARS)}</output></p>`;
  } catch (error) {
    seedResult = failure(error);
  }
  const now = Date.now();
  scratch.fixed.saveSessionData(OWN_ID, { data: { note: value }, createdAt: now, expiresAt: now + HOUR });
  const fixedNote = scratch.fixed.loadSessionData(OWN_ID)?.data.note;
  return html`${intro}
${side('seed-side', 'Seed-faithful: the value is pasted into the SQL', html`${seedResult}${seedTable(scratch)}`)}
${side(
  'fixed-side',
  'Fixed: the value is sent beside the SQL',
  html`<p>Your note as the fixed load returns it: <output id="fixed-note">${excerpt(String(fixedNote ?? '(no session)'), SHOWN_CHARS)}</output></p>${fixedTable(scratch)}`,
)}
${accountsTable(scratch)}`;
}

async function picklePage(scratch: Scratch, form: FormData | null): Promise<SafeHtml> {
  const text = field(form, 'stored');
  const intro = html`<p>Suppose someone can write your row's stored text (through an injection like page 1's,
or a leaked database password). Write it here; both sides then load it. The ready-made text names the
gadget class <code>Wipe</code>: <code id="gadget-payload">${GADGET_PAYLOAD}</code></p>
${valueForm('pickle', 'stored', 'The stored text of your row', text ?? GADGET_PAYLOAD, 'Store it and load it on both sides')}`;
  if (text === undefined) return html`${intro}${seedTable(scratch)}`;

  const before = scratch.rowCount();
  scratch.writeOwnRow(text);
  let seedResult: SafeHtml;
  try {
    const loaded = await scratch.seed.loadSessionData(OWN_ID);
    seedResult = html`<p>The faithful load built: <code>${excerpt(JSON.stringify(loaded), SHOWN_CHARS)}</code></p>`;
  } catch (error) {
    seedResult = failure(error);
  }
  const after = scratch.rowCount();
  const fixedBefore = scratch.fixed.listSessionRows(10).length;
  const parsed = parseData(text);
  const fixedAfter = scratch.fixed.listSessionRows(10).length;
  return html`${intro}
${side(
  'seed-side',
  'Seed-faithful: the stored text picks the types to build',
  html`${seedResult}<p>Rows in your scratch session table: <output id="seed-rows-before">${before}</output> before
the load, <output id="seed-rows-after">${after}</output> after it.</p>${seedTable(scratch)}`,
)}
${side(
  'fixed-side',
  'Fixed: JSON.parse builds plain data only',
  html`<p>The fixed parse built: <code id="fixed-parsed">${parsed ? excerpt(JSON.stringify(parsed), SHOWN_CHARS) : '(no session: not a JSON object)'}</code></p>
<p>Rows in the fixed table: <output id="fixed-rows-before">${fixedBefore}</output> before, <output id="fixed-rows-after">${fixedAfter}</output> after.</p>`,
)}`;
}

async function racePage(scratch: Scratch, form: FormData | null): Promise<SafeHtml> {
  const intro = html`<p>One writer saves your session again and again while two readers load it, all at once
on the server; each statement waits for its round trip to the database, as over a network.</p>
<form method="post" action="race"><p><button type="submit">Run the race on both sides</button></p></form>`;
  if (!form) return intro;
  const seed = await race(
    { save: scratch.seed.saveSessionData, load: scratch.seed.loadSessionData },
    OWN_ID,
  ).catch((error: unknown) => error);
  const fixed = await race(fixedForRace(scratch.fixed), OWN_ID);
  return html`${intro}
${side('seed-side', 'Seed-faithful: delete, then insert', raceResult('seed', seed))}
${side('fixed-side', 'Fixed: one upsert', raceResult('fixed', fixed))}`;
}

function raceResult(id: string, result: RaceResult | unknown): SafeHtml {
  if (!result || typeof result !== 'object' || !('missing' in result)) return failure(result);
  const { saves, loads, missing } = result as RaceResult;
  return html`<p>${saves} saves, ${loads} loads. "Session missing" answers:
<output id="${id}-missing">${missing}</output></p>`;
}
