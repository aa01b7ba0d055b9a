// A learner arrives on the home page, starts chapter 1 and reads on with Starlight's "Next" links.
import { expect, HOME, PAGES_TIMEOUT, STEPS, test } from './fixtures.ts';

const [first, second] = STEPS;

test('from the home page, "Start with chapter 1" opens chapter 1 and "Next" opens the page after it', async ({
  page,
}) => {
  if (!first || !second) throw new Error('lessons/ has fewer than two pages');
  await page.goto('/');
  await page.getByRole('link', { name: 'Start with chapter 1' }).click();
  await expect(page).toHaveURL(first.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.title);

  await page.locator('.pagination-links a[rel="next"]').click();
  await expect(page).toHaveURL(second.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(second.title);
});

test('reading straight through: every step loads with its title and its place in the course, and "Next" leads to the following one', async ({
  page,
}) => {
  // It visits every page of the course, one after another: a few seconds each, not one minute in all.
  test.setTimeout(PAGES_TIMEOUT);
  const response = await page.goto(STEPS[0]?.path ?? '/');
  expect(response?.status()).toBe(200);
  for (const [i, step] of STEPS.entries()) {
    await expect(page, `page ${i + 1}`).toHaveURL(step.path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(step.title);
    await expect(page).toHaveTitle(`${step.title} | Session Lab`);
    const place =
      step.steps > 1
        ? `Chapter ${step.chapter} · step ${step.step} of ${step.steps}`
        : `Chapter ${step.chapter}`;
    await expect(page.locator('.step-position')).toHaveText(place);
    const next = page.locator('.pagination-links a[rel="next"]');
    if (i + 1 < STEPS.length) await next.click();
  }
});

test('the home page is titled "Session Lab" once, not "Session Lab | Session Lab"', async ({ page }) => {
  await page.goto(HOME.path);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HOME.title);
  await expect(page).toHaveTitle(HOME.title);
});
