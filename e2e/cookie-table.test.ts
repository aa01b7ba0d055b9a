// The inspector's cookie table, as DevTools shows it: at a desktop width every column is in view
// without scrolling sideways (HttpOnly, Secure and SameSite are the last three); on a phone the table
// scrolls inside its own region, which the keyboard can reach.
import { Demo, expect, test } from './fixtures.ts';

for (const backend of ['RAM', 'Cookie']) {
  test(`at 1280 px the cookie table shows all its columns, HttpOnly to SameSite included (${backend})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/07-session-api/');
    const demo = new Demo(page);
    await demo.ready();
    if (backend !== 'RAM') await demo.switchTo(backend);
    await demo.countAgain(); // the cookie store's data cookie is the longest value there is
    await expect(demo.count).toHaveText('2');
    await demo.idle();
    const region = demo.part('cookies').getByRole('region', { name: 'Cookie table' });
    await expect(region.getByRole('columnheader', { name: 'HttpOnly' })).toBeVisible();
    const box = await region.boundingBox();
    if (!box) throw new Error('the cookie table is not rendered');
    for (const name of ['Name', 'Value', 'HttpOnly', 'Secure', 'SameSite']) {
      const header = await region.getByRole('columnheader', { name, exact: true }).boundingBox();
      expect(header, name).not.toBeNull();
      expect(header?.x ?? -1, `${name} starts inside the table's box`).toBeGreaterThanOrEqual(box.x - 0.5);
      expect(
        (header?.x ?? 0) + (header?.width ?? 0),
        `${name} ends inside the table's box`,
      ).toBeLessThanOrEqual(box.x + box.width + 0.5);
    }
    const sideways = await region.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(sideways, 'the table scrolls sideways at 1280 px').toBeLessThanOrEqual(0);
  });
}

test('at 375 px the cookie table scrolls in its own region, reachable by keyboard, and the page does not', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/07-session-api/');
  const demo = new Demo(page);
  await demo.ready();
  const region = demo.part('cookies').getByRole('region', { name: 'Cookie table' });
  await expect(region.getByRole('columnheader', { name: 'SameSite' })).toBeAttached();
  await expect(region).toHaveAttribute('tabindex', '0');
  await region.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(sideways, 'the page scrolls sideways at 375 px').toBeLessThanOrEqual(0);
});
