// A learner arrives on the home page, starts chapter 1 and reads on with Starlight's "Next" links.
import { CHAPTERS, expect, HOME, test } from './fixtures.ts';

const [first, second] = CHAPTERS;

test('from the home page, "Start with chapter 1" opens chapter 1 and "Next" opens chapter 2', async ({
  page,
}) => {
  if (!first || !second) throw new Error('lessons/ has fewer than two chapters');
  await page.goto('/');
  await page.getByRole('link', { name: 'Start with chapter 1' }).click();
  await expect(page).toHaveURL(first.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.title);

  await page.locator('.pagination-links a[rel="next"]').click();
  await expect(page).toHaveURL(second.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(second.title);
});

test('reading straight through: every chapter loads with its title, and "Next" leads to the following one', async ({
  page,
}) => {
  const response = await page.goto(CHAPTERS[0]?.path ?? '/');
  expect(response?.status()).toBe(200);
  for (const [i, chapter] of CHAPTERS.entries()) {
    await expect(page, `chapter ${i + 1}`).toHaveURL(chapter.path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(chapter.title);
    await expect(page).toHaveTitle(`${chapter.title} | Session Lab`);
    const next = page.locator('.pagination-links a[rel="next"]');
    if (i + 1 < CHAPTERS.length) await next.click();
  }
});

test('the home page is titled "Session Lab" once, not "Session Lab | Session Lab"', async ({ page }) => {
  await page.goto(HOME.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOME.title);
  await expect(page).toHaveTitle(HOME.title);
});
