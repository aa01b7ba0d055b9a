// A demo can be run with the keyboard alone: arrows move through the backends, Tab reaches the
// buttons, Enter presses them, and focus stays visible.
import { Demo, expect, test } from './fixtures.ts';

test('the counter demo works from the keyboard alone', async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();

  await demo.backend('RAM').focus(); // the reader has tabbed to the backend group
  await page.keyboard.press('ArrowRight');
  await expect(demo.backend('Files')).toBeChecked();
  await demo.idle();
  await expect(demo.root).toContainText('Store (file)');

  const newVisitor = demo.button('New visitor');
  for (let i = 0; i < 40 && !(await newVisitor.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(newVisitor).toBeFocused();
  const outline = await newVisitor.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline, 'focus is visible').not.toBe('none');
  await page.keyboard.press('Enter');
  await demo.idle();
  await expect(demo.live).toContainText(/new visitor|cookie/i);
});
