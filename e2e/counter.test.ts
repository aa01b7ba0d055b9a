// The page-view counter (chapter 7, and /demos/counter/ with every control): counting, one session per
// backend, tampering, the inspector, and what a restart or a crash does to each store.
import { Demo, expect, holdDemoPages, test } from './fixtures.ts';

test('the counter goes 1 → 2 → 3 on the full-page demo', async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await expect(demo.count).toHaveText('1');
  await demo.countAgain();
  await expect(demo.count).toHaveText('2');
  await demo.countAgain();
  await expect(demo.count).toHaveText('3');
  await expect(demo.part('stored')).toContainText('"pageViews": 3');
});

test('the counter goes 1 → 2 → 3 in chapter 7, by link and by reloading the chapter', async ({ page }) => {
  await page.goto('/07-session-api/');
  const demo = new Demo(page);
  await demo.ready();
  await expect(demo.count).toHaveText('1');
  await demo.countAgain();
  await expect(demo.count).toHaveText('2');
  await page.reload();
  await demo.ready();
  await expect(demo.count).toHaveText('3');
});

test('each backend keeps its own count: RAM to 3, Files to 1, back to RAM makes 4', async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.countAgain();
  await demo.countAgain();
  await expect(demo.count).toHaveText('3');

  // While the switch is on its way, the RAM page still in the frame fades and takes no click, which
  // would count on the backend being left.
  await demo.backend('Files').check();
  await expect(demo.root).toHaveAttribute('aria-busy', 'true');
  await expect(demo.root.locator('iframe')).toHaveCSS('pointer-events', 'none');
  await demo.idle();
  await expect(demo.root.locator('iframe')).toHaveCSS('pointer-events', 'auto');
  await expect(demo.app.locator('#count')).toHaveText('1');
  await expect(demo.root.locator('iframe')).toHaveAttribute('src', '/lab/counter/file/std/');
  await expect(demo.live).toContainText('Backend: Files');
  await expect(demo.part('stored')).toContainText('"pageViews": 1');

  await demo.switchTo('RAM');
  await expect(demo.count).toHaveText('4');
  await expect(demo.part('stored')).toContainText('"pageViews": 4');
});

test("the inspector shows a click's result as soon as the server has answered, before the page arrives", async ({
  page,
}) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await expect(demo.count).toHaveText('1');
  await expect(demo.part('stored')).toContainText('"pageViews": 1');

  // Hold the demo page's answer in the browser: the server has counted, the frame has not been told.
  const deliver = await holdDemoPages(page);
  await demo.clickCountAgain();
  await expect(demo.part('stored')).toContainText('"pageViews": 2');
  await expect(demo.part('exchange')).toContainText('HTTP 200');
  await expect(demo.count).toHaveText('1'); // the page itself is still on its way

  deliver();
  await expect(demo.count).toHaveText('2');
  await demo.idle();
  await expect(demo.part('stored')).toContainText('"pageViews": 2');
  await page.unroute('**/lab/counter/**');
  await demo.countAgain();
  await expect(demo.count).toHaveText('3');
  await expect(demo.part('stored')).toContainText('"pageViews": 3');
});

test('a tampered cookie is refused and the count starts again at 1', async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.countAgain();
  await demo.countAgain();
  await expect(demo.count).toHaveText('3');
  const before = await demo.part('stored').locator('dd code').nth(1).textContent(); // the store key

  await demo.press('Tamper with the cookie');
  await expect(demo.count).toHaveText('1');
  await expect(demo.live).toContainText('One character of the session cookie was changed');
  await expect(demo.live).toContainText('a fresh session began');
  await expect(demo.part('stored').locator('dd code').nth(1)).not.toHaveText(before ?? '');
});

test('the inspector shows the cookie as HttpOnly and the record as the store holds it', async ({
  page,
  context,
}) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.countAgain();
  await demo.countAgain();
  await expect(demo.count).toHaveText('3');

  // The stored form, byte for byte: RAM keeps the record as JSON.
  await expect(demo.root.getByLabel('The record, byte for byte')).toContainText('"pageViews":3');

  // The DevTools-style cookie table: the session cookie row has HttpOnly ticked and SameSite Lax.
  const table = demo.part('cookies').locator('table');
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const row = table.locator('tbody tr', { has: page.locator('td', { hasText: /^session_lab_id$/ }) });
  await expect(row).toHaveCount(1);
  const cells = row.locator('td');
  await expect(cells.nth(headers.indexOf('HttpOnly'))).toHaveText('✓');
  await expect(cells.nth(headers.indexOf('SameSite'))).toHaveText('Lax');
  await expect(cells.nth(headers.indexOf('Path'))).toHaveText('/lab/counter/ram/std/');
  await expect(demo.part('doc-cookie')).toContainText('document.cookie is ""');

  // And the browser really holds it so: HttpOnly, SameSite=Lax, on the demo's own path.
  const cookies = (await context.cookies()).filter((c) => c.name === 'session_lab_id');
  expect(cookies).toHaveLength(1);
  expect(cookies[0]).toMatchObject({
    httpOnly: true,
    sameSite: 'Lax',
    path: '/lab/counter/ram/std/',
    secure: false,
    expires: -1,
  });
  // The inspector masks the id it shows; the real one is 43 characters.
  expect(cookies[0]?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await expect(demo.state).not.toContainText(cookies[0]?.value ?? 'never');
});

test('a crash (kill -9) loses the RAM count: it starts again at 1', async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.countAgain();
  await expect(demo.count).toHaveText('2');

  await demo.press('Crash it (kill -9)');
  await expect(demo.live).toContainText(/sent kill -9/i);
  await expect(demo.live).toContainText('The site started a new process');
  await expect(demo.count).toHaveText('1');
});

test('a clean restart keeps the file-store count: it goes on from where it was', async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.switchTo('Files');
  await demo.countAgain();
  await expect(demo.count).toHaveText('2');

  await demo.press('Restart server');
  await expect(demo.live).toContainText(/restarted worker #1 cleanly/i);
  await expect(demo.live).toContainText(
    /the store still had the session as it was \(pageViews 2\): it survived/i,
  );
  await expect(demo.count).toHaveText('3');
});
