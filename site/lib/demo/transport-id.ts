// Without a cookie, the id lives in the demo page itself: in its URL (url transport) or in a hidden
// form field (hidden-field transport). The inspector and the lab buttons must send it along, exactly as
// the app's own links and forms do, or the server cannot know which session they mean.
import type { TransportKind } from '../../../sandbox/engine/config.ts';

/** What the demo page currently shows, reduced to what holds an id. */
export interface FrameView {
  href: string;
  /** Values of hidden inputs named like the id, in document order. */
  hiddenValues: string[];
}

export function idInFrame(view: FrameView, transport: TransportKind, idName: string): string | null {
  if (transport === 'url') return new URL(view.href, 'http://frame.invalid').searchParams.get(idName);
  if (transport === 'hidden-field') return view.hiddenValues[0] ?? null;
  return null; // the cookie travels by itself
}

/**
 * The id a page address may carry: only the url transport reads one there. The hidden-field
 * transport reads the id from a posted form alone, so a link cannot fix a session.
 */
export function idForAddress(transport: TransportKind, id: string | null): string | null {
  return transport === 'url' ? id : null;
}

/**
 * `path` with the id added as a query parameter: for pages with the url transport, and for
 * `_inspect`, which also takes the hidden-field transport's id there (it only reads).
 */
export function withId(path: string, idName: string, id: string | null): string {
  if (id === null) return path;
  const url = new URL(path, 'http://frame.invalid');
  url.searchParams.set(idName, id);
  return url.pathname + url.search;
}

/** The body a lab POST needs: the hidden-field transport reads the id from the form on a POST. */
export function idForm(idName: string, id: string | null): URLSearchParams | undefined {
  return id === null ? undefined : new URLSearchParams({ [idName]: id });
}
