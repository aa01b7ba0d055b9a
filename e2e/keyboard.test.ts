// The counter demo with the keyboard only: Tab to the backend switch, arrow keys to change backend,
// Enter and Space on the buttons, and a visible focus ring all along (WCAG 2.1.1, 2.4.7).
import type { Locator, Page } from '@playwright/test';
import { Demo, expect, test } from './fixtures.ts';

/** Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, backwards = false, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  await expect(target, `reached with ${max} presses of ${backwards ? 'Shift+Tab' : 'Tab'}`).toBeFocused({
    timeout: 1,
  });
}

/** The focus ring the reader sees on `element` (or on `ring`, the element that draws it). */
async function expectFocusRing(element: Locator, ring: Locator = element): Promise<void> {
  expect(await element.evaluate((el) => el.matches(':focus-visible'))).toBe(true);
  const style = await ring.evaluate((el) => {
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: Number.parseFloat(s.outlineWidth), shadow: s.boxShadow };
  });
  const outlined = style.style !== 'none' && style.width >= 1;
  expect(outlined || style.shadow !== 'none', `focus ring: ${JSON.stringify(style)}`).toBe(true);
}

test('with the keyboard only: switch backend, press "New visitor" and "Regenerate id"', async ({ page }) => {
  await page.goto('/demos/counter/');
  const demo = new Demo(page);
  await demo.ready();
  await expect(demo.count).toHaveText('1');

  // Tab into the backend group: the checked radio (RAM) takes focus, and its pill shows the ring.
  const ram = demo.backend('RAM');
  await tabTo(page, ram);
  await expectFocusRing(ram, ram.locator('xpath=ancestor::label[1]'));

  // An arrow key moves to the next backend and selects it; the demo reloads on that store.
  await page.keyboard.press('ArrowRight');
  const files = demo.backend('Files');
  await expect(files).toBeFocused();
  await expect(files).toBeChecked();
  await demo.idle();
  await expect(demo.root.locator('iframe')).toHaveAttribute('src', '/lab/counter/file/std/');
  await expect(demo.live).toContainText('Backend: Files');
  await expect(demo.count).toHaveText('1');
  const firstSession = (await demo.state.textContent()) ?? '';
  expect(firstSession).toMatch(/^Session /);

  // On through the demo page and its link to the buttons; Enter presses "New visitor".
  const newVisitor = demo.button('New visitor');
  await tabTo(page, newVisitor);
  await expectFocusRing(newVisitor);
  await page.keyboard.press('Enter');
  await demo.idle();
  await expect(demo.live).toContainText('You are a new visitor');
  await expect(demo.state).toHaveText(/^Session /);
  await expect(demo.state).not.toHaveText(firstSession);
  await expect(demo.count).toHaveText('1');
  await expect(newVisitor).toBeFocused();

  // Shift+Tab goes back, Tab comes forward again to "Regenerate id", and Space presses it.
  await page.keyboard.press('Shift+Tab');
  await expect(newVisitor).not.toBeFocused();
  const regenerate = demo.button('Regenerate id');
  await tabTo(page, regenerate);
  await expectFocusRing(regenerate);
  const beforeRegenerate = (await demo.state.textContent()) ?? '';
  await page.keyboard.press('Space');
  await demo.idle();
  await expect(demo.live).toContainText('New id, same data');
  await expect(demo.state).toHaveText(/^Session /);
  await expect(demo.state).not.toHaveText(beforeRegenerate);
  // Same data: the reload after regenerating counted on from the same record.
  await expect(demo.count).toHaveText('2');
  await expect(demo.part('stored')).toContainText('"pageViews": 2');
  await expect(regenerate).toBeFocused();
});
