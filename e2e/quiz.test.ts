// The chapter quizzes (issue 12 §6): answered with the keyboard only, the explanation read out by the
// question's live region, progress kept in the browser and shown in the sidebar and on the home page,
// a one-click reset, a quiz that still works where storage is refused, and axe on a chapter with a quiz.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import quiz from '../lessons/01-why-sessions/quiz.ts';
import { expect, settleDemos, test } from './fixtures.ts';

// The quiz closes the chapter's last step.
const CHAPTER = '/01-why-sessions/with-a-session/';
const first = quiz[0];
if (!first) throw new Error('chapter 1 has no questions');
const rightIndex = first.choices.findIndex((choice) => choice.correct);
const right = first.choices[rightIndex];
const wrong = first.choices[rightIndex === 0 ? 1 : 0];
if (!right || !wrong) throw new Error('chapter 1, question 1 needs a right and a wrong choice');

function question(page: Page, index = 0) {
  return page.locator('quiz-set form').nth(index);
}

/** The label of chapter 1's group in the sidebar (the group holding the link to its first step), which
 * carries the chapter's quiz progress and stays in view while the group is collapsed. */
function sidebarLink(page: Page) {
  return page.locator(
    '#starlight__sidebar details:has(> ul > li > a[href="/01-why-sessions/"]) > summary .group-label',
  );
}

test('answer wrong then right with the keyboard; progress in the sidebar and on the home page; reset clears it', async ({
  page,
}) => {
  await page.goto(CHAPTER);
  // Start from the link of the heading just above the quiz; from there on, only keys.
  await page.locator('.sl-markdown-content a[href="#check-your-understanding"]').focus();
  const q = question(page);
  const feedback = q.getByRole('status');
  await expect(feedback).toHaveAttribute('aria-live', 'polite');

  // Tab into the first radio group, arrow to the wrong choice, Tab to Check, Enter.
  await page.keyboard.press('Tab');
  await expect(q.getByRole('radio').first()).toBeFocused();
  const wrongRadio = q.getByRole('radio', { name: wrong.text.replaceAll('`', '') });
  const rightRadio = q.getByRole('radio', { name: right.text.replaceAll('`', '') });
  await page.keyboard.press(rightIndex === 0 ? 'ArrowDown' : 'Space');
  await expect(wrongRadio).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(q.getByRole('button', { name: 'Check' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(feedback).toContainText('Not quite.');
  await expect(feedback).toContainText(wrong.why.replaceAll('`', ''));
  await expect(q.locator('[data-part="mark"]')).toBeHidden();
  await expect(sidebarLink(page).locator('[data-quiz-badge]')).toHaveCount(0);

  // Back to the group, arrow to the right choice, check again with Space.
  await page.keyboard.press('Shift+Tab');
  await expect(wrongRadio).toBeFocused();
  await page.keyboard.press(rightIndex === 0 ? 'ArrowUp' : 'ArrowDown');
  await expect(rightRadio).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(feedback).toContainText('Right.');
  await expect(feedback).toContainText(right.why.replaceAll('`', ''));
  await expect(q.locator('[data-part="mark"]')).toBeVisible();
  // Every answer's explanation is there to read once the right one is found.
  await expect(q.getByText('Every answer explained')).toBeVisible();

  // The sidebar counts it at once, for eyes and for screen readers.
  await expect(sidebarLink(page)).toContainText(`1/${quiz.length}`);
  // A screen reader reads the group's label as a whole: the sentence is in it, the visual mark hidden.
  await expect(sidebarLink(page).locator('.quiz-sr')).toHaveText(
    ` (quiz: 1 of ${quiz.length} questions answered right)`,
  );
  await expect(sidebarLink(page).locator('[aria-hidden="true"]')).toHaveText(`1/${quiz.length}`);

  // Kept in the browser: another chapter's sidebar shows it, and the chapter remembers it.
  await page.goto('/02-client-state/');
  await expect(sidebarLink(page)).toContainText(`1/${quiz.length}`);
  await page.goto(CHAPTER);
  await expect(question(page).locator('[data-part="mark"]')).toBeVisible();
  await expect(page.locator('quiz-set [data-part="summary"]')).toHaveText(
    `1 of ${quiz.length} answered right so far.`,
  );

  // The home page: a summary, the chapter list marked the same way, and a one-click reset.
  await page.goto('/');
  const summary = page.locator('quiz-summary');
  await expect(summary.locator('[data-part="total"]')).toHaveText(
    /^1 of \d+ questions answered right; 0 of 13 chapters complete\.$/,
  );
  const homeLink = page.locator('main').getByRole('link', { name: /^Why sessions exist/ });
  await expect(homeLink).toContainText(`1/${quiz.length}`);
  await summary.getByRole('button', { name: 'Reset progress' }).click();
  await expect(summary.getByRole('status')).toHaveText(/Progress reset/);
  await expect(summary.locator('[data-part="total"]')).toHaveText(/^No questions answered right yet/);
  await expect(homeLink.locator('[data-quiz-badge]')).toHaveCount(0);

  // And everywhere else.
  await page.goto(CHAPTER);
  await expect(sidebarLink(page).locator('[data-quiz-badge]')).toHaveCount(0);
  await expect(question(page).locator('[data-part="mark"]')).toBeHidden();
  await expect(page.locator('quiz-set [data-part="summary"]')).toHaveText(`${quiz.length} questions.`);
});

test('all questions right marks the chapter done', async ({ page }) => {
  await page.goto(CHAPTER);
  for (const [index, { choices }] of quiz.entries()) {
    const q = question(page, index);
    await q
      .getByRole('radio')
      .nth(choices.findIndex((choice) => choice.correct))
      .check();
    await q.getByRole('button', { name: 'Check' }).click();
    await expect(q.getByRole('status')).toContainText('Right.');
  }
  await expect(sidebarLink(page).locator('[data-quiz-badge="done"]')).toHaveText(
    new RegExp(`^✓ ${quiz.length}/${quiz.length}`),
  );
  await page.goto('/');
  await expect(page.locator('quiz-summary [data-part="total"]')).toHaveText(/1 of 13 chapters complete/);
});

test('checking with nothing chosen asks for a choice and records nothing', async ({ page }) => {
  await page.goto(CHAPTER);
  const q = question(page);
  await q.getByRole('button', { name: 'Check' }).click();
  await expect(q.getByRole('status')).toHaveText('Choose an answer first, then press Check.');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes('quiz')))).toEqual(
    [],
  );
});

test('where the browser refuses storage, the quiz still checks answers and says progress is not kept', async ({
  page,
}) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto(CHAPTER);
  await expect(page.locator('quiz-set [data-part="storage"]')).toBeVisible();
  const q = question(page);
  await q.getByRole('radio').nth(rightIndex).check();
  await q.getByRole('button', { name: 'Check' }).click();
  await expect(q.getByRole('status')).toContainText('Right.');
  // Counted for as long as the page lasts.
  await expect(sidebarLink(page)).toContainText(`1/${quiz.length}`);
  await page.goto('/');
  await expect(page.locator('quiz-summary [data-part="storage"]')).toBeVisible();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`chapter 1 with its quiz answered has no serious or critical accessibility problems (${colorScheme})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(CHAPTER);
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await settleDemos(page);
    // One question answered wrong, one right: feedback, marks and explanations all on show.
    const q1 = question(page, 0);
    await q1.getByRole('radio').nth(rightIndex).check();
    await q1.getByRole('button', { name: 'Check' }).click();
    const q2 = question(page, 1);
    const wrong2 = quiz[1]?.choices.findIndex((choice) => !choice.correct) ?? 0;
    await q2.getByRole('radio').nth(wrong2).check();
    await q2.getByRole('button', { name: 'Check' }).click();
    await expect(q2.getByRole('status')).toContainText('Not quite.');
    await q1.getByText('Every answer explained').click();
    const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
    const bad = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);
    await context.close();
  });
}
