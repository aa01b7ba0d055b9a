// Reads the demo page inside the iframe. It is same-origin, so the page around it may look in: its
// address, its hidden fields, its document.cookie, and how its own request ended. Every read can fail
// (the frame is navigating, or shows an error page of another origin) and then answers null.
import type { TransportKind } from '../../../sandbox/engine/config.ts';
import { idInFrame } from './transport-id.ts';

/**
 * The frame's height bounds, in CSS pixels. The lower one keeps a tiny error page from collapsing the
 * frame; the upper one stops a page whose height follows its own viewport (100vh and more) from
 * growing the frame without end. Between them the frame is exactly as tall as its page.
 */
const MIN_HEIGHT = 160;
const MAX_HEIGHT = 4_000;

export class DemoFrame {
  readonly element: HTMLIFrameElement;
  /** Pages already fitted (a load can be reported twice for one page). */
  #fitted = new WeakSet<Document>();

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

  /**
   * Sizes the frame to the page it shows, now and whenever that page's height changes (a note saved,
   * the table grown, the chapter narrowed to a phone's width), so nothing of it hides below the frame's
   * edge. The page is same-origin, so its height is read directly: no message from it to trust.
   */
  fitToContent(): void {
    const doc = this.element.contentDocument; // null for a page of another origin: its size stays
    const view = doc?.defaultView;
    if (!doc || !view || this.#fitted.has(doc)) return;
    this.#fitted.add(doc);
    const root = doc.documentElement;
    const fit = (): void => {
      // A frame in a hidden tab panel has no layout: it is fitted when shown (its page resizes then).
      if (this.element.clientWidth === 0) return;
      const borderBox = getComputedStyle(this.element).boxSizing === 'border-box';
      const frameBorder = borderBox ? this.element.offsetHeight - this.element.clientHeight : 0;
      // The root box is as tall as the content; a horizontal scrollbar would take its height too.
      const scrollbar = view.innerHeight - root.clientHeight;
      const content = Math.ceil(root.getBoundingClientRect().height) + Math.max(0, scrollbar);
      const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, content)) + frameBorder;
      this.element.style.blockSize = `${height}px`;
    };
    // The observer of the page's own window: it sees the page's layout, and goes away with the page.
    new view.ResizeObserver(fit).observe(root);
    fit();
  }

  /** True when the page finished loading (possibly before the demo's script ran). */
  loaded(base: string): boolean {
    return this.element.contentDocument?.readyState === 'complete' && this.path(base) !== null;
  }
}
