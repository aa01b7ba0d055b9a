// Chapter 8, "The flaws, live": each thing the step says the seed-flaws demo shows, as a reader does it.
// The demo has one backend (its session only keys the visitor's in-memory scratch databases).
import type { Browser, Page } from '@playwright/test';
import { GADGET_PAYLOAD, SQL_PAYLOAD } from '../lessons/08-your-own-storage/seed-flaws.ts';
import { type Demo, expect, openDemo, test } from './fixtures.ts';

const DEMO = { app: 'seed-flaws' };

/** Follows one of the demo's own links and waits for the page it leads to. */
async function goTo(demo: Demo, title: string): Promise<void> {
  await demo.app.getByRole('link', { name: title, exact: true }).click();
  await expect(demo.app.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

/** Presses a button inside the demo page and waits for the answer, which is a new page. */
async function submit(demo: Demo, name: string): Promise<void> {
  const left = await demo.app.locator(':root').evaluate((root) => {
    const mark = String(Math.random());
    root.setAttribute('data-test-left', mark);
    return mark;
  });
  await demo.app.getByRole('button', { name }).click();
  await expect(demo.app.locator(`:root[data-test-left="${left}"]`)).toHaveCount(0);
}

const adminHash = (demo: Demo) =>
  demo.app.locator('#accounts tr', { hasText: 'admin' }).locator('code').textContent();

test('flaw 1: the ready-made value reads the admin hash into your note; the fixed side stores it as text', async ({
  page,
}) => {
  const demo = await openDemo(page, DEMO, '08');
  await goTo(demo, '1. SQL by string formatting');
  await expect(demo.app.locator('#sql-payload')).toHaveText(SQL_PAYLOAD);
  await expect(demo.app.getByLabel(/Your session value/)).toHaveValue(SQL_PAYLOAD);
  await submit(demo, 'Save it on both sides');
  const hash = await adminHash(demo);
  expect(hash).toMatch(/^scrypt\$/);
  await expect(demo.app.locator('#seed-note')).toHaveText(`x${hash}`);
  await expect(demo.app.locator('#fixed-note')).toHaveText(SQL_PAYLOAD);
  await expect(demo.app.locator('#fixed-table tr', { hasText: 'you' })).toContainText(
    JSON.stringify({ note: SQL_PAYLOAD }),
  );

  // O'Brien: the faithful statement breaks, the fixed side stores the name as it is.
  await demo.app.getByLabel(/Your session value/).fill("O'Brien");
  await submit(demo, 'Save it on both sides');
  await expect(demo.app.locator('#seed-side [role="alert"]')).toContainText('Brien');
  await expect(demo.app.locator('#seed-note')).toHaveCount(0);
  await expect(demo.app.locator('#fixed-note')).toHaveText("O'Brien");
});

test('flaw 2: loading the gadget text wipes the faithful table (3 → 0); JSON.parse keeps the fixed one (3 → 3)', async ({
  page,
}) => {
  const demo = await openDemo(page, DEMO, '08');
  await goTo(demo, '2. A format that builds any type');
  await expect(demo.app.locator('#gadget-payload')).toHaveText(GADGET_PAYLOAD);
  await submit(demo, 'Store it and load it on both sides');
  await expect(demo.app.locator('#seed-rows-before')).toHaveText('3');
  await expect(demo.app.locator('#seed-rows-after')).toHaveText('0');
  await expect(demo.app.locator('#fixed-parsed')).toHaveText(GADGET_PAYLOAD);
  await expect(demo.app.locator('#fixed-rows-before')).toHaveText('3');
  await expect(demo.app.locator('#fixed-rows-after')).toHaveText('3');

  // Reset gives a fresh copy.
  await goTo(demo, 'Your scratch database');
  await expect(demo.app.locator('#seed-table caption')).toContainText('0 row(s)');
  await submit(demo, 'Reset your scratch database');
  await expect(demo.app.locator('#seed-table caption')).toContainText('3 row(s)');
});

test('flaw 3: the race counts "session missing" answers on the seed side and none on the fixed side', async ({
  page,
}) => {
  const demo = await openDemo(page, DEMO, '08');
  await goTo(demo, '3. Delete, then insert');
  await submit(demo, 'Run the race on both sides');
  await expect(demo.app.locator('#seed-side')).toContainText('30 saves, 60 loads');
  expect(Number(await demo.app.locator('#seed-missing').textContent())).toBeGreaterThan(0);
  await expect(demo.app.locator('#fixed-side')).toContainText('30 saves, 60 loads');
  await expect(demo.app.locator('#fixed-missing')).toHaveText('0');
});

/** A second browser (its own cookies) on the demo's own page, as "Open this demo on its own page" opens it. */
async function visitor(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/lab/seed-flaws/ram/std/');
  return { context, page };
}

const hashOn = (page: Page) =>
  page.locator('#accounts tr', { hasText: 'admin' }).locator('code').textContent();

test("two visitors: each has a scratch database of their own, and one's wipe leaves the other's rows", async ({
  browser,
}) => {
  const one = await visitor(browser);
  const two = await visitor(browser);
  try {
    const hashTwo = await hashOn(two.page);
    expect(hashTwo).toMatch(/^scrypt\$/);
    expect(await hashOn(one.page)).not.toEqual(hashTwo);
    await one.page.getByRole('link', { name: '2. A format that builds any type' }).click();
    await one.page.getByRole('button', { name: 'Store it and load it on both sides' }).click();
    await expect(one.page.locator('#seed-rows-after')).toHaveText('0');
    await two.page.reload();
    await expect(two.page.locator('#seed-table caption')).toContainText('3 row(s)');
    expect(await hashOn(two.page)).toEqual(hashTwo);
  } finally {
    await one.context.close();
    await two.context.close();
  }
});
