// (e) The record as the store really holds it: where, the exact bytes, the TTL, the cookie store's
// decoded payload and signature, and the store key beside the masked id. The point to see: the store
// files the record under SHA-256(id) and never holds the id itself; the cookie store keeps nothing on
// the server at all (the record is sealed for SHA-256(id) into a cookie), so its texts say that instead.
import type { JsonValue } from '../../../sandbox/engine/types.ts';
import type { InspectAnswer } from './api.ts';
import { append, code, facts, fill, h, pre } from './dom.ts';

/** The same text re-indented, when it is JSON; null otherwise (the exact bytes are shown anyway). */
function indented(raw: string): string | null {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : null;
  } catch {
    return null;
  }
}

const json = (value: JsonValue | undefined): string => JSON.stringify(value ?? null, null, 2);

/**
 * When the store's next write-behind flush is due (server clock, ms), if this session has changes
 * waiting for it (`writePolicy = interval`, sandbox/stores/buffered.ts); null otherwise.
 */
export function flushPending(answer: InspectAnswer): number | null {
  const details = answer.stored?.details;
  if (details?.writePolicy !== 'interval' || details.changesInRam === 'written') return null;
  return typeof details.nextFlushAt === 'number' ? details.nextFlushAt : null;
}

export function renderStored(target: Element, answer: InspectAnswer): void {
  if (!answer.id) {
    fill(
      target,
      h('p', { class: 'empty' }, 'No session id reached the server, so there is no record to look up.'),
    );
    return;
  }
  const stored = answer.stored;
  const inBrowser = answer.store === 'cookie';
  fill(
    target,
    facts([
      ['Your id (masked)', code(answer.id)],
      [
        inBrowser ? 'Sealed for key = SHA-256(id)' : 'Store key = SHA-256(id)',
        answer.storeKey ? code(answer.storeKey) : null,
      ],
      [
        'State',
        answer.live ? 'live: the next request loads it' : 'not live: the next request starts a new session',
      ],
      ['Created', answer.createdAt ? new Date(answer.createdAt).toLocaleString() : null],
    ]),
    h(
      'p',
      { class: 'note' },
      inBrowser
        ? 'The server keeps nothing of this session: the record travels in the data cookie, encrypted and signed with the server’s secret, and the key, a hash of the id, is sealed inside it, so it opens only beside this id. The server cannot delete a copy of it: a copy is accepted until the expiry sealed in it.'
        : 'The store files the record under the key, a hash of the id. The id itself is never stored, so a copy of the store (a backup, a leaked dump) holds no id anyone could send back as a cookie.',
    ),
  );
  if (answer.live && answer.data)
    append(target, h('h6', null, 'Session data as the app sees it'), pre(json(answer.data), 'Session data'));
  if (!stored) {
    append(
      target,
      h(
        'p',
        { class: 'empty' },
        answer.live
          ? 'This store loads and saves the record but has no inspect view, so its raw form cannot be shown here.'
          : inBrowser
            ? 'The browser sent no data cookie sealed for this id: none was set, it was deleted, or it belongs to another id.'
            : 'The store holds no record under this key: none was saved, or it was deleted.',
      ),
    );
    return;
  }
  const ttl =
    stored.ttlSeconds !== undefined
      ? `${Math.round(stored.ttlSeconds)} s: the store deletes the record by itself then`
      : inBrowser
        ? 'the cookie’s Max-Age: the browser drops it then, and the server refuses the record after the expiry sealed in it'
        : 'none of its own: the engine refuses the record after its expiry, and the sweeper deletes it later';
  append(
    target,
    h('h6', null, 'As stored'),
    facts([
      ['Where', stored.location],
      ['Size', `${stored.bytes} bytes`],
      ['TTL', ttl],
    ]),
    pre(stored.raw, 'The record, byte for byte'),
  );
  const pretty = indented(stored.raw);
  if (pretty) append(target, h('details', null, h('summary', null, 'The same JSON, indented'), pre(pretty)));
  const details = stored.details;
  if (details && stored.store === 'cookie') {
    append(
      target,
      h('h6', null, 'Decoded by the server'),
      facts([
        ['Signature', String(details.signature ?? '?')],
        ['Format', details.format === undefined ? null : String(details.format)],
      ]),
      pre(json(details.payload), 'Decrypted payload'),
    );
  } else if (details) {
    append(target, h('details', null, h('summary', null, 'Store details'), pre(json(details))));
  }
}
