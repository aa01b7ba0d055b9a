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

/** `path` with the id added as a query parameter (the url and hidden-field transports read it on GET). */
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
