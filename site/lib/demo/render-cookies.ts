// (b) the cookie table as DevTools shows it, (c) the raw headers of the last exchange, and (d) what
// page JavaScript sees in document.cookie.
import type { TransportKind } from '../../../sandbox/engine/config.ts';
import type { InspectAnswer } from './api.ts';
import { type CookieRow, cookieTable } from './cookie-columns.ts';
import { rememberLines } from './cookie-memory.ts';
import { append, code, fill, h, pre } from './dom.ts';

/** Every id is 43 characters (sandbox/engine/ids.ts); the inspector only ever sees it masked. */
const ID_LENGTH = 43;
const COLUMNS = [
  'Name',
  'Value',
  'Domain',
  'Path',
  'Expires / Max-Age',
  'Size',
  'HttpOnly',
  'Secure',
  'SameSite',
];

const flag = (value: boolean | null): string => (value === null ? '?' : value ? '✓' : '');

/**
 * The text with a line-break opportunity (<wbr>) after each `/ _ . - T`: the table fits the inspector's
 * width by wrapping, and names, paths and dates then wrap at their seams rather than mid-word.
 */
function seams(text: string): (string | HTMLElement)[] {
  return text.split(/(?<=[/_.\-T])/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]));
}

function cell(row: CookieRow): (string | (string | HTMLElement)[])[] {
  return [
    seams(row.name),
    row.value,
    seams(row.domain),
    seams(row.path),
    seams(row.expires),
    String(row.size),
    flag(row.httpOnly),
    flag(row.secure),
    row.sameSite,
  ];
}

export function renderCookieTable(
  target: Element,
  answer: InspectAnswer,
  base: string,
  idName: string,
  transport: TransportKind,
): void {
  const exchange = answer.lastExchange;
  // The values shown are masked: sizes come from what they really are, under either name (the engine
  // adds `__Secure-` over https).
  const valueBytes: Record<string, number> = { [idName]: ID_LENGTH, [`__Secure-${idName}`]: ID_LENGTH };
  if (answer.stored?.store === 'cookie') {
    valueBytes[`${idName}_data`] = answer.stored.bytes;
    valueBytes[`__Secure-${idName}_data`] = answer.stored.bytes;
  }
  const latest = (exchange?.cookiesAsSet ?? []).map((line) => ({
    line,
    setAt: exchange?.at ?? 0,
    requestPath: exchange?.path ?? base,
  }));
  const { rows, removed } = cookieTable({
    received: answer.cookies.received,
    latest,
    remembered: rememberLines(globalThis.sessionStorage, base, latest),
    host: location.hostname,
    valueBytes,
  });
  if (rows.length === 0) {
    const why =
      transport === 'cookie'
        ? 'The browser holds no cookie for this demo’s path: no session has been made yet, or it was dropped.'
        : `No cookies: with the ${transport} transport the id travels in the page itself, not in a cookie.`;
    fill(target, h('p', { class: 'empty' }, why));
  } else {
    const table = h(
      'table',
      null,
      h('caption', null, `Cookies for ${base}`),
      h('thead', null, h('tr', null, ...COLUMNS.map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
      h(
        'tbody',
        null,
        ...rows.map((row) => h('tr', null, ...cell(row).map((text) => h('td', null, ...[text].flat())))),
      ),
    );
    const scroller = h(
      'div',
      {
        class: 'scroll',
        attrs: { role: 'region', tabindex: '0', 'aria-label': 'Cookie table' },
      },
      table,
    );
    fill(target, scroller);
    append(
      target,
      h(
        'p',
        { class: 'note' },
        'Session cookie values are masked here (first 6 and last 2 characters): page scripts can read this inspector, and a full id would undo HttpOnly. Size counts the real value.',
      ),
    );
    if (rows.some((r) => !r.attributesKnown)) {
      append(
        target,
        h(
          'p',
          { class: 'note' },
          '? = this inspector has not seen the Set-Cookie line that set this value (it was set before you opened this page, by a process since restarted, or by the other worker), so its attributes are unknown here.',
        ),
      );
    }
  }
  if (removed.length)
    append(
      target,
      h('p', { class: 'note' }, `The last response deleted: ${removed.join(', ')} (Max-Age=0).`),
    );
}

export function renderRawHeaders(target: Element, answer: InspectAnswer): void {
  const exchange = answer.lastExchange;
  if (!exchange) {
    fill(target, h('p', { class: 'empty' }, 'No exchange to show yet.'));
    return;
  }
  const request = `${exchange.method} ${exchange.path}\nCookie: ${exchange.cookieHeader ?? '(none sent)'}`;
  const response = [
    `HTTP ${exchange.status}`,
    ...(exchange.setCookie.length ? exchange.setCookie.map((l) => `Set-Cookie: ${l}`) : ['(no Set-Cookie)']),
  ].join('\n');
  fill(
    target,
    h('h6', null, 'Request'),
    pre(request, 'Request line and Cookie header'),
    h('h6', null, 'Response'),
    pre(response, 'Status and Set-Cookie headers'),
  );
}

export function renderDocumentCookie(
  target: Element,
  seen: string | null,
  transport: TransportKind,
  idName: string,
): void {
  if (seen === null) {
    fill(
      target,
      h(
        'p',
        { class: 'empty' },
        'The demo page is not loaded (or shows another site), so there is nothing to read.',
      ),
    );
    return;
  }
  const why =
    transport === 'cookie'
      ? ` The id cookie ${idName} is not there: it is HttpOnly, so the browser sends it with every request but never hands it to page scripts. A script injected into the page (XSS) cannot read the id and send it away.`
      : ` This demo carries the id in the ${transport === 'url' ? 'page’s URL' : 'page’s forms'}, not in a cookie, so any script on the page can read it from there: HttpOnly cannot protect it.`;
  fill(
    target,
    h('p', null, 'In the demo page, ', code('document.cookie'), ' is ', code(JSON.stringify(seen)), '.', why),
  );
}
