// Reads the demo page inside the iframe. It is same-origin, so the page around it may look in: its
// address, its hidden fields, its document.cookie, and how its own request ended. Every read can fail
// (the frame is navigating, or shows an error page of another origin) and then answers null.
import type { TransportKind } from '../../../sandbox/engine/config.ts';
import { idInFrame } from './transport-id.ts';

export class DemoFrame {
  readonly element: HTMLIFrameElement;

  constructor(element: HTMLIFrameElement) {
    this.element = element;
  }

  /** The demo page's path and query, or null when it shows nothing under `base`. */
  path(base: string): string | null {
    try {
      const where = this.element.contentWindow?.location;
      return where?.pathname.startsWith(base) ? where.pathname + where.search : null;
    } catch {
      return null;
    }
  }

  /** The id as the page carries it (url and hidden-field transports); null with cookies. */
  id(base: string, transport: TransportKind, idName: string): string | null {
    const doc = this.element.contentDocument;
    const hidden = doc ? [...doc.querySelectorAll<HTMLInputElement>('input[type="hidden"]')] : [];
    const hiddenValues = hidden.filter((i) => i.name === idName).map((i) => i.value);
    return idInFrame({ href: this.path(base) ?? base, hiddenValues }, transport, idName);
  }

  /** What page scripts of the demo see in `document.cookie`. */
  documentCookie(base: string): string | null {
    try {
      return this.path(base) === null ? null : (this.element.contentDocument?.cookie ?? null);
    } catch {
      return null;
    }
  }

  /** The status and heading of the page's own response when it failed (5xx, 429), else null. */
  failure(): { status: number; heading: string } | null {
    try {
      const win = this.element.contentWindow;
      const [entry] = (win?.performance.getEntriesByType('navigation') ??
        []) as PerformanceNavigationTiming[];
      const status = entry?.responseStatus ?? 0;
      if (status < 500 && status !== 429) return null;
      return { status, heading: win?.document.querySelector('h1')?.textContent?.trim() ?? '' };
    } catch {
      return null;
    }
  }

  /** True when the page finished loading (possibly before the demo's script ran). */
  loaded(base: string): boolean {
    return this.element.contentDocument?.readyState === 'complete' && this.path(base) !== null;
  }
}
