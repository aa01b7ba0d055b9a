// (a) The last exchange as a small sequence diagram: three lanes (browser, server, store) and the
// messages between them, each with the exact header text under its arrow. Pure HTML/CSS, so it reflows
// to 375 px and reads as an ordered list to a screen reader.
import type { TransportKind } from '../../../sandbox/engine/config.ts';
import type { InspectAnswer } from './api.ts';
import { fill, h } from './dom.ts';
import { exchangeSteps } from './exchange.ts';

export interface ExchangeContext {
  idName: string;
  transport: TransportKind;
  worker: string | null;
  seenBefore: boolean;
}

type Lane = 1 | 2 | 3;

/** One arrow from lane `from` to lane `to`, its label above, the exact text below. */
function message(
  from: Lane,
  to: Lane,
  spoken: string,
  label: string,
  detail: string,
  kind = '',
): HTMLLIElement {
  const [start, end] = from < to ? [from, to] : [to, from];
  const arrow = h(
    'span',
    { class: `arrow lanes-${start}${end} ${from < to ? 'right' : 'left'} ${kind}` },
    h('span', { class: 'label' }, label),
  );
  return h(
    'li',
    { class: 'msg' },
    h('span', { class: 'sr-only' }, `${spoken}: `),
    arrow,
    detail ? h('span', { class: 'detail' }, detail) : null,
  );
}

function note(text: string, badge: string, outcome: string): HTMLLIElement {
  return h(
    'li',
    { class: 'msg' },
    h('span', { class: 'sr-only' }, 'The server: '),
    h('span', { class: `note outcome-${outcome}` }, h('strong', { class: 'badge' }, badge), ' ', text),
  );
}

export function renderExchange(target: Element, answer: InspectAnswer, context: ExchangeContext): void {
  const exchange = answer.lastExchange;
  if (!exchange) {
    fill(
      target,
      h(
        'p',
        { class: 'empty' },
        answer.id
          ? 'This server process has not served your session yet: it was restarted, or another worker served the last page. Load a page in the demo to see an exchange.'
          : 'No session yet. The last request carried no id, and the app stored nothing, so no session was made and nothing was sent back to remember.',
      ),
    );
    return;
  }
  const steps = exchangeSteps(exchange, {
    ...context,
    createdAt: answer.createdAt ?? null,
    store: answer.store,
  });
  const server = context.worker ? `Server (pid ${context.worker})` : 'Server';
  const list = h(
    'ol',
    { class: 'seq', attrs: { 'aria-label': 'The last request and response, step by step' } },
    h(
      'li',
      { class: 'lanes', attrs: { 'aria-hidden': 'true' } },
      h('span', null, 'Browser'),
      h('span', null, server),
      h('span', null, `Store (${answer.store.split(' ')[0]})`),
    ),
    message(1, 2, 'Browser to server', exchange.method, `${steps.request.line}\n${steps.request.carried}`),
  );
  if (steps.store.lookedUp) {
    list.append(
      message(
        2,
        3,
        'Server to store',
        'load(SHA-256(id))',
        answer.store === 'cookie' ? 'from the data cookie this request carried' : '',
      ),
      message(
        3,
        2,
        'Store to server',
        steps.store.label,
        steps.store.text,
        `back outcome-${steps.store.outcome}`,
      ),
    );
  } else {
    list.append(note(steps.store.text, steps.store.label, steps.store.outcome));
  }
  list.append(message(2, 1, 'Server to browser', steps.response.line, steps.response.carried, 'back'));
  const when = new Date(exchange.at).toLocaleTimeString();
  const ago = Math.max(0, Math.round((answer.now - exchange.at) / 1000));
  fill(target, list, h('p', { class: 'when' }, `At ${when}, ${ago} s before this inspection.`));
}
