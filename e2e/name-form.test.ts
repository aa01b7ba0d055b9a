// Chapter 1's name form: the name typed on page 1 is greeted on page 3, and markup typed as a name is
// shown as the characters typed, never run as HTML (OWASP XSS Prevention: encode on output).
import { Demo, expect, test } from './fixtures.ts';

test('the name typed on page 1 appears on page 3, with <b> shown as text', async ({ page }) => {
  await page.goto('/demos/name-form/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.app.getByLabel('First name').fill('<b>Ada</b>');
  await demo.app.getByLabel('Last name').fill('Lovelace & Byron');
  await demo.app.getByRole('button', { name: 'Save my name' }).click();

  await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello <b>Ada</b> Lovelace & Byron');
  await demo.app.getByRole('link', { name: 'Go to page 3' }).click();
  await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Page 3');
  const greeting = demo.app.getByText('Still here,');
  await expect(greeting).toHaveText(
    'Still here, <b>Ada</b>? The server has not forgotten that your last name is Lovelace & Byron.',
  );
  // Shown as text: no <b> element was made from the name.
  await expect(demo.app.locator('main b')).toHaveCount(0);
  // The inspector has the same name as data, also as text.
  await expect(demo.part('stored')).toContainText('"firstName": "<b>Ada</b>"');
});

test('in chapter 1, the name survives from page 1 to page 3 in the embedded demo', async ({ page }) => {
  // Chapter 1's first step shows the forgetful app; its second step, the name form.
  await page.goto('/01-why-sessions/with-a-session/');
  const demo = new Demo(page);
  await expect(demo.root).toHaveAttribute('data-app', 'name-form');
  await demo.ready();
  await demo.app.getByLabel('First name').fill('Grace');
  await demo.app.getByLabel('Last name').fill('Hopper');
  await demo.app.getByRole('button', { name: 'Save my name' }).click();
  await demo.app.getByRole('link', { name: 'Go to page 3' }).click();
  await expect(demo.app.getByText('Still here, Grace?')).toBeVisible();
});
