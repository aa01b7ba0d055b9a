// The inspector never contradicts the page, on every backend a demo offers: the count and the cookie it
// shows after each click are the page's and the browser's, each panel's text is true of the backend, and
// a tampered cookie's refusal is shown (chapter 11), with the cookie gone from the browser.
import type { BrowserContext, Page } from '@playwright/test';
import { BACKENDS, Demo, expect, holdDemoPages, needsServer, type Store, test } from './fixtures.ts';

const ID = 'session_lab_id';
const DATA = `${ID}_data`;
const masked = (value: string) => `${value.slice(0, 6)}…${value.slice(-2)}`;

/** The cookies the browser really holds for a demo's path, by name. */
async function browserCookies(context: BrowserContext, store: Store, app = 'counter') {
  const path = `/lab/${app}/${store}/std/`;
  const all = await context.cookies();
  return new Map(all.filter((c) => c.path === path).map((c) => [c.name, c.value]));
}

/** Keeps the text of every render of the "In the store" panel from now on (read with `renders`). */
async function watchStoredPanel(page: Page): Promise<void> {
  await page.evaluate(() => {
    const panel = document.querySelector('session-demo [data-part="stored"]');
    const seen: string[] = [];
    (window as unknown as { storedRenders: string[] }).storedRenders = seen;
    new MutationObserver(() => seen.push(panel?.textContent ?? '')).observe(panel as Node, {
      childList: true,
    });
  });
}

const renders = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { storedRenders: string[] }).storedRenders.splice(0));

/** The value the cookie table shows for a cookie (masked), or null without that row. */
async function tableValue(demo: Demo, name: string): Promise<string | null> {
  const table = demo.part('cookies').locator('table');
  if ((await table.count()) === 0) return null;
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const row = table
    .locator('tbody tr')
    .filter({ has: demo.page.locator('td', { hasText: new RegExp(`^${name}$`) }) });
  if ((await row.count()) === 0) return null;
  return (await row.locator('td').nth(headers.indexOf('Value')).textContent())?.trim() ?? null;
}

for (const [label, store] of BACKENDS) {
  test(`${label}: after each click the inspector shows the page's count and the browser's cookies`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    await page.goto('/demos/counter/');
    const demo = new Demo(page);
    await demo.ready();
    if (store !== 'ram') await demo.switchTo(label);
    const start = Number(await demo.count.textContent());
    await watchStoredPanel(page);
    for (let views = start + 1; views <= start + 4; views++) {
      await demo.countAgain();
      await expect(demo.count).toHaveText(String(views));
      await demo.idle();
      await expect(demo.part('stored')).toContainText(`"pageViews": ${views}`);
      // No render after the click showed anything else, not even for a moment.
      for (const text of await renders(page)) expect(text).toContain(`"pageViews": ${views}`);
      await expect(demo.part('exchange')).toContainText('HTTP 200');
      const held = await browserCookies(context, store);
      expect(await tableValue(demo, ID)).toBe(masked(held.get(ID) ?? 'none'));
      if (store === 'cookie') {
        expect(await tableValue(demo, DATA)).toBe(masked(held.get(DATA) ?? 'none'));
        await expect(demo.root.getByLabel('The record, byte for byte')).toHaveText(held.get(DATA) ?? 'none');
      }
    }
  });

  test(`${label}: every panel and button sentence is true of this backend`, async ({ page, context }) => {
    await needsServer(store);
    await page.goto('/demos/counter/');
    const demo = new Demo(page);
    await demo.ready();
    if (store !== 'ram') await demo.switchTo(label);
    await demo.countAgain();
    await demo.idle();
    const stored = demo.part('stored');
    const exchange = demo.part('exchange');
    await expect(stored).toContainText('"pageViews"');
    await expect(exchange).toContainText('loaded');
    if (store === 'cookie') {
      await expect(stored).toContainText('Sealed for key = SHA-256(id)');
      await expect(stored).toContainText('The server keeps nothing of this session');
      await expect(stored).toContainText('the cookie’s Max-Age: the browser drops it then');
      await expect(exchange).toContainText('opened the data cookie the request carried');
      for (const untrue of ['filed under', 'sweeper', 'Store key', 'The id itself is never stored']) {
        await expect(stored).not.toContainText(untrue);
        await expect(exchange).not.toContainText(untrue);
      }
    } else {
      await expect(stored).toContainText('Store key = SHA-256(id)');
      await expect(stored).toContainText('The store files the record under the key');
      await expect(stored).toContainText(
        store === 'redis'
          ? /\d+ s: the store deletes the record by itself then/
          : 'the engine refuses the record after its expiry, and the sweeper deletes it later',
      );
      await expect(exchange).toContainText('found the record filed under SHA-256(id)');
      await expect(stored).not.toContainText('data cookie');
    }

    // Expire now: the record stays, marked expired; the cookie store can only have its cookie deleted.
    await demo.press('Expire now');
    const afterExpire = await browserCookies(context, store);
    if (store === 'cookie') {
      await expect(demo.live).toContainText('the server told the browser to delete its data cookie');
      await expect(demo.live).not.toContainText('the record stays');
    } else {
      await expect(demo.live).toContainText('(the record stays, marked expired)');
    }
    // The reload after it made a new session, whose cookie the browser holds.
    expect(afterExpire.has(ID)).toBe(true);

    // New visitor: the browser drops the id; with the cookie store the old data cookie stays behind.
    const beforeForget = await browserCookies(context, store);
    await demo.press('New visitor');
    const afterForget = await browserCookies(context, store);
    expect(afterForget.get(ID)).not.toBe(beforeForget.get(ID));
    if (store === 'cookie') {
      await expect(demo.live).toContainText('The old data cookie stays in the browser');
      await expect(demo.live).not.toContainText('stays in the store');
    } else {
      await expect(demo.live).toContainText('The old record stays in the store until it expires.');
    }
  });
}

test('Custom functions (chapter 8): the store panel says the record is filed under the key, and why no raw form', async ({
  page,
}) => {
  await page.goto('/demos/db-store/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.app.getByLabel(/Your note/).fill('filed under a hash');
  await demo.app.getByRole('button', { name: 'Save note' }).click();
  await expect(demo.app.getByText('Your note: ')).toContainText('filed under a hash');
  await demo.idle();
  const stored = demo.part('stored');
  await expect(stored).toContainText('"note": "filed under a hash"');
  await expect(stored).toContainText('Store key = SHA-256(id)');
  await expect(stored).toContainText('The store files the record under the key');
  await expect(stored).toContainText('has no inspect view, so its raw form cannot be shown here');
  await expect(stored).not.toContainText('data cookie');
});

test("Cookie: the click's count reaches the inspector before the page does", async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.switchTo('Cookie');
  const start = Number(await demo.count.textContent());
  await demo.countAgain();
  await expect(demo.count).toHaveText(String(start + 1));
  await demo.idle();
  // Hold the demo page's answer in the browser: the server has counted, the frame has not been told.
  const deliver = await holdDemoPages(page);
  await demo.clickCountAgain();
  await expect(demo.part('stored')).toContainText(`"pageViews": ${start + 2}`);
  await expect(demo.count).toHaveText(String(start + 1)); // the page itself is still on its way
  deliver();
  await expect(demo.count).toHaveText(String(start + 2));
  await demo.idle();
  await expect(demo.part('stored')).toContainText(`"pageViews": ${start + 2}`);
  await page.unroute('**/lab/counter/**');
});

test.describe('chapter 11: a tampered cookie', () => {
  for (const [label, store] of BACKENDS) {
    test(`${label}: the inspector shows the request that carried it, its refusal, and the cookie cleared`, async ({
      page,
      context,
    }) => {
      await needsServer(store);
      await page.goto('/11-security/tampering/');
      const demo = new Demo(page);
      await demo.ready();
      if (store !== 'ram') await demo.switchTo(label);
      await demo.app.getByLabel('First name').fill('Ada');
      await demo.app.getByLabel('Last name').fill('Lovelace');
      await demo.app.getByRole('button', { name: 'Save my name' }).click();
      await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello Ada Lovelace');
      await demo.idle();
      const before = await browserCookies(context, store, 'name-form');
      const tamperedName = store === 'cookie' ? DATA : ID;
      expect(before.has(tamperedName)).toBe(true);

      await demo.press('Tamper with the cookie');
      // The page: a stranger again.
      await expect(demo.app.getByText("I don't know your name")).toBeVisible();
      // The wire: the request that carried the tampered cookie, refused, and the Set-Cookie clearing it.
      const exchange = demo.part('exchange');
      await expect(exchange).toContainText('rejected: unknown');
      await expect(exchange).toContainText(`Cookie: ${ID}=`);
      await expect(exchange).toContainText(`Set-Cookie: ${ID}= (deletes it)`);
      await expect(exchange).not.toContainText('carried no id');
      await demo.root.getByText('Raw headers of the last exchange').click();
      const raw = demo.part('raw');
      await expect(raw).toContainText(`Cookie: ${ID}=`);
      await expect(raw).toContainText(new RegExp(`Set-Cookie: ${ID}=;.*Max-Age=0`));
      await expect(raw).not.toContainText('No exchange to show yet');
      if (store === 'cookie') {
        await expect(exchange).toContainText(`Set-Cookie: ${DATA}= (deletes it)`);
        await expect(exchange).toContainText('the data cookie did not open');
      }
      await expect(demo.live).toContainText('the server refused the id (unknown)');
      await expect(demo.live).toContainText('no new session began');
      // The browser: the tampered cookie is gone.
      const after = await browserCookies(context, store, 'name-form');
      expect(after.has(tamperedName)).toBe(false);
      expect(after.has(ID)).toBe(false);
    });
  }

  test('the "Data in a cookie" tab refuses its tampered data cookie and clears it', async ({
    page,
    context,
  }) => {
    await page.goto('/11-security/tampering/');
    await page.getByRole('tab', { name: 'Data in a cookie' }).click();
    const demo = new Demo(page, 1);
    await demo.ready();
    await demo.app.getByLabel('First name').fill('Grace');
    await demo.app.getByLabel('Last name').fill('Hopper');
    await demo.app.getByRole('button', { name: 'Save my name' }).click();
    await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello Grace Hopper');
    await demo.idle();
    await demo.press('Tamper with the cookie');
    await expect(demo.live).toContainText('One character of the data cookie was changed');
    await expect(demo.part('exchange')).toContainText('rejected: unknown');
    await expect(demo.part('exchange')).toContainText(`Set-Cookie: ${DATA}= (deletes it)`);
    const after = await browserCookies(context, 'cookie', 'name-form');
    expect(after.has(DATA)).toBe(false);
    expect(after.has(ID)).toBe(false);
  });
});
