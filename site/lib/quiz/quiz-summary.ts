// <quiz-summary> (site/components/QuizProgress.astro): the home page's progress over every chapter,
// the chapter links on the page marked like the sidebar's, and a one-click reset.
import { announceChange, progressStore, readCatalog, watchProgress } from './browser-progress.ts';
import { markChapterLinks } from './link-badges.ts';
import { type Progress, summarize } from './progress.ts';

class QuizSummary extends HTMLElement {
  connectedCallback(): void {
    const catalog = readCatalog(this);
    const total = this.querySelector<HTMLElement>('[data-part="total"]');
    const reset = this.querySelector<HTMLButtonElement>('[data-part="reset"]');
    const status = this.querySelector<HTMLElement>('[data-part="status"]');
    const storage = this.querySelector<HTMLElement>('[data-part="storage"]');
    if (storage) storage.hidden = progressStore.persistent;
    const draw = (progress: Progress) => {
      const chapters = summarize(progress, catalog);
      const right = chapters.reduce((sum, chapter) => sum + chapter.correct, 0);
      const questions = chapters.reduce((sum, chapter) => sum + chapter.total, 0);
      const done = chapters.filter(
        (chapter) => chapter.total > 0 && chapter.correct === chapter.total,
      ).length;
      if (total)
        total.textContent =
          right === 0
            ? `No questions answered right yet: each chapter ends with ${questions > 0 ? 'a few' : 'no'} questions.`
            : `${right} of ${questions} questions answered right; ${done} of ${chapters.length} chapters complete.`;
      const main = this.closest('main') ?? document;
      markChapterLinks(main, catalog, progress);
    };
    reset?.addEventListener('click', () => {
      progressStore.reset();
      announceChange();
      if (status) status.textContent = 'Progress reset: every chapter is unanswered again.';
    });
    watchProgress(draw);
  }
}

if (!customElements.get('quiz-summary')) customElements.define('quiz-summary', QuizSummary);
