// Starlight's search (Pagefind, indexed at build time) finds a term and opens the chapter it is in.
import { expect, STEPS, test } from './fixtures.ts';

test('searching for "SameSite" finds a chapter page and opens it', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('searchbox').or(dialog.locator('input.pagefind-ui__search-input')).fill('SameSite');
  const results = dialog.locator('a.pagefind-ui__result-link');
  await expect(results.first()).toBeVisible();
  const href = (await results.first().getAttribute('href')) ?? '';
  const chapter = STEPS.find((c) => new URL(href, 'http://x').pathname === c.path);
  expect(chapter, `first result ${href} is a chapter`).toBeTruthy();
  await results.first().click();
  await expect(page).toHaveURL(new RegExp(`^[^#]*${chapter?.path ?? ''}`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(chapter?.title ?? '');
  await expect(page.locator('main')).toContainText('SameSite');
});
