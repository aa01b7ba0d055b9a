// The page's one progress store over localStorage, and the event that tells every part of the page
// (quiz, sidebar, home summary) to redraw: on this page after an answer or a reset, and from other tabs
// through the browser's `storage` event.
import { type Catalog, createProgressStore, type Progress, STORAGE_KEY } from './progress.ts';

export const progressStore = createProgressStore(() => window.localStorage);

const CHANGED = 'session-lab:quiz-progress';

export function announceChange(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** Calls `draw` with the progress now and again whenever it changes here or in another tab. */
export function watchProgress(draw: (progress: Progress) => void): void {
  const redraw = () => draw(progressStore.load());
  window.addEventListener(CHANGED, redraw);
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY || event.key === null) redraw();
  });
  redraw();
}

/** The catalog an element carries in `data-catalog` (written at build time by the component). */
export function readCatalog(element: HTMLElement): Catalog {
  try {
    const data: unknown = JSON.parse(element.dataset.catalog ?? '{}');
    if (typeof data !== 'object' || data === null) return {};
    const catalog: Record<string, string[]> = {};
    for (const [chapter, ids] of Object.entries(data))
      if (Array.isArray(ids)) catalog[chapter] = ids.filter((id): id is string => typeof id === 'string');
    return catalog;
  } catch {
    return {};
  }
}
