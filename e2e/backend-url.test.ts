// The backend a reader picks stays picked across a reload: each demo keeps its choice in the page URL
// (`?backend.<demo's variant key>=<store>`, site/lib/demo/backend-url.ts), set without a reload.
import type { Page } from '@playwright/test';
import { Demo, expect, test } from './fixtures.ts';

/** Collects what the page's Content-Security-Policy blocked: the restore must run without inline script. */
function cspViolations(page: Page): string[] {
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) blocked.push(message.text());
  });
  return blocked;
}

/** The demo's URL parameter, from its variant key as the page renders it. */
async function paramOf(demo: Demo): Promise<string> {
  const key = await demo.root.getAttribute('data-key');
  if (!key) throw new Error('<session-demo> has no data-key');
  return `backend.${key.replaceAll('/', '.')}`;
}

test('chapter 7: pick SQLite, reload, and SQLite is still picked, its session counting on', async ({
  page,
}) => {
  const blocked = cspViolations(page);
  await page.goto('/07-session-api/');
  const demo = new Demo(page);
  await demo.ready();
  const param = await paramOf(demo);
  const before = page.url();
  await demo.switchTo('SQLite');
  await expect(demo.count).toHaveText('1');
  expect(new URL(page.url()).searchParams.get(param)).toBe('sqlite');
  expect(new URL(page.url()).pathname).toBe(new URL(before).pathname);

  await page.reload();
  await demo.ready();
  await expect(demo.backend('SQLite')).toBeChecked();
  await expect(demo.root.locator('iframe')).toHaveAttribute('src', '/lab/counter/sqlite/std/');
  await expect(demo.count).toHaveText('2'); // the SQLite session, not a new one on the default store
  await expect(demo.part('stored')).toContainText('"pageViews": 2');

  // Back on the default, the parameter goes: the URL is the chapter's own again.
  await demo.switchTo('RAM');
  expect(new URL(page.url()).searchParams.has(param)).toBe(false);
  expect(blocked).toEqual([]);
});

test('chapter 6: two demos on one page each keep their own backend across a reload', async ({ page }) => {
  await page.goto('/06-configuration/running-a-config/');
  // The demos' tabs (the page has another pair of tabs with the same names, for the config files).
  const fileTab = page
    .locator('starlight-tabs', { has: page.locator('session-demo') })
    .getByRole('tab', { name: 'file.cfg' });
  const ram = new Demo(page, 0);
  const file = new Demo(page, 1);
  await ram.ready();
  await ram.switchTo('SQLite');
  await fileTab.click();
  await file.ready();
  await file.switchTo('Cookie');
  const url = new URL(page.url());
  expect(url.searchParams.get(await paramOf(ram))).toBe('sqlite');
  expect(url.searchParams.get(await paramOf(file))).toBe('cookie');

  await page.reload();
  await expect(ram.backend('SQLite')).toBeChecked();
  await expect(ram.root.locator('iframe')).toHaveAttribute('src', /^\/lab\/counter\/sqlite\//);
  await fileTab.click();
  await expect(file.backend('Cookie')).toBeChecked();
  await expect(file.root.locator('iframe')).toHaveAttribute('src', /^\/lab\/counter\/cookie\//);
  await file.ready();
  await expect(file.count).toHaveText('2');
});

test('a backend the demo cannot use falls back to its default, with no error and no parameter left', async ({
  page,
}) => {
  // Chapter 3's demo with the id in the URL has no cookie-store variant (its radio is disabled).
  await page.goto('/03-session-id/how-the-id-travels/');
  const demo = new Demo(page, 1);
  const param = await paramOf(demo);
  await page.goto(
    `/03-session-id/how-the-id-travels/?${param}=cookie&${await paramOf(new Demo(page, 0))}=no-such-store`,
  );
  await page.getByRole('tab', { name: 'url' }).click();
  await demo.ready();
  await expect(demo.backend('RAM')).toBeChecked();
  await expect(demo.part('error')).toBeHidden();
  await expect.poll(() => new URL(page.url()).search).toBe('');
});
