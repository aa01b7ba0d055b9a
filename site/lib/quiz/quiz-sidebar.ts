// <quiz-sidebar> (site/components/Sidebar.astro): Starlight's sidebar with each chapter's quiz progress.
import { readCatalog, watchProgress } from './browser-progress.ts';
import { markChapterLinks } from './link-badges.ts';

class QuizSidebar extends HTMLElement {
  connectedCallback(): void {
    const catalog = readCatalog(this);
    watchProgress((progress) => markChapterLinks(this, catalog, progress));
  }
}

if (!customElements.get('quiz-sidebar')) customElements.define('quiz-sidebar', QuizSidebar);
