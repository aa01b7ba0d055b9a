// <quiz-set> (site/components/Quiz.astro): a chapter's questions. Each question is a native form (a
// fieldset of radio buttons and a Check button), so keyboard and screen reader work as they do for any
// form; this script only checks the choice, puts its explanation in the question's live region, and
// records the answer (browser-progress.ts).
import { announceChange, progressStore, watchProgress } from './browser-progress.ts';
import { correctCount, type Progress } from './progress.ts';

class QuizSet extends HTMLElement {
  connectedCallback(): void {
    const chapter = this.dataset.chapter ?? '';
    const forms = [...this.querySelectorAll<HTMLFormElement>('form[data-question]')];
    const ids = forms.map((form) => form.dataset.question ?? '');
    for (const form of forms) form.addEventListener('submit', (event) => this.#check(event, form, chapter));
    const storage = this.querySelector<HTMLElement>('[data-part="storage"]');
    if (storage) storage.hidden = progressStore.persistent;
    watchProgress((progress) => this.#drawProgress(progress, chapter, ids, forms));
  }

  #check(event: SubmitEvent, form: HTMLFormElement, chapter: string): void {
    event.preventDefault();
    const feedback = form.querySelector<HTMLElement>('[data-part="feedback"]');
    if (!feedback) return;
    const chosen = form.querySelector<HTMLInputElement>('input[type="radio"]:checked');
    let message: string;
    if (!chosen) {
      message = 'Choose an answer first, then press Check.';
    } else {
      const explanation = form.querySelector<HTMLElement>(`[data-choice="${CSS.escape(chosen.value)}"]`);
      const right = explanation?.dataset.correct !== undefined;
      const why = explanation?.querySelector('[data-part="why"]')?.textContent?.trim() ?? '';
      message = right ? `Right. ${why}` : `Not quite. ${why} Try another answer.`;
      form.dataset.result = right ? 'right' : 'wrong';
      // Once the right answer is found, every choice's explanation is there to read at leisure.
      const all = form.querySelector<HTMLElement>('[data-part="explanations"]');
      if (all && right) all.hidden = false;
      progressStore.record(chapter, form.dataset.question ?? '', right);
      announceChange();
    }
    // Emptied first, so the same message after a second Check is announced again.
    feedback.textContent = '';
    requestAnimationFrame(() => {
      feedback.textContent = message;
    });
  }

  #drawProgress(progress: Progress, chapter: string, ids: string[], forms: HTMLFormElement[]): void {
    const summary = this.querySelector<HTMLElement>('[data-part="summary"]');
    const right = correctCount(progress, chapter, ids);
    if (summary)
      summary.textContent =
        right === 0 ? `${ids.length} questions.` : `${right} of ${ids.length} answered right so far.`;
    const answers = progress[chapter] ?? {};
    for (const form of forms) {
      const mark = form.querySelector<HTMLElement>('[data-part="mark"]');
      if (mark) mark.hidden = answers[form.dataset.question ?? ''] !== true;
    }
  }
}

if (!customElements.get('quiz-set')) customElements.define('quiz-set', QuizSet);
