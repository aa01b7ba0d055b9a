// The site under its Content-Security-Policy: no page, demo frame or search breaks it, every response
// carries the security headers, and a form posted from another site is refused.
import type { Page } from '@playwright/test';
import { Demo, expect, settleDemos, test } from './fixtures.ts';

/** Records every CSP violation in the page and in its frames (demo iframes included). */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation?: (t: string) => void }).reportCspViolation;
      const text = `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`;
      (
        report ??
        (window.parent as unknown as { reportCspViolation?: (t: string) => void }).reportCspViolation
      )?.(text);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  return seen;
}

test('home, chapter 7, the demo pages and search run under the CSP without a violation', async ({ page }) => {
  const violations = await watchViolations(page);
  for (const path of ['/', '/07-session-api/', '/demos/counter/', '/03-session-id/']) {
    const response = await page.goto(path);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy'], path).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('same-origin');
    await settleDemos(page);
  }
  // The theme switch is one of the hashed inline scripts: it must have run.
  await page.goto('/07-session-api/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', /light|dark/);
  // Pagefind (WebAssembly) under the policy.
  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await dialog.getByRole('searchbox').or(dialog.locator('input.pagefind-ui__search-input')).fill('fixation');
  await expect(dialog.locator('a.pagefind-ui__result-link').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('the name form works inside its frame under the CSP, and its responses carry the headers', async ({
  page,
}) => {
  const violations = await watchViolations(page);
  const framed: Record<string, string>[] = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname.startsWith('/lab/name-form/')) framed.push(response.headers());
  });
  await page.goto('/demos/name-form/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.app.getByLabel('First name').fill('Ada');
  await demo.app.getByLabel('Last name').fill('Lovelace');
  await demo.app.getByRole('button', { name: 'Save my name' }).click();
  await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello Ada Lovelace');
  expect(framed.length).toBeGreaterThan(1);
  for (const headers of framed) {
    expect(headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');
  }
  expect(violations).toEqual([]);
});

test('a form posted from another site is refused with 403 and changes nothing', async ({ request }) => {
  const base = '/lab/name-form/ram/std/';
  const first = await request.get(base);
  expect(first.status()).toBe(200);
  const forged = await request.post(base, {
    headers: { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' },
    form: { firstName: 'Mallory', lastName: 'Evil' },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain('another site');
  expect(forged.headers()['set-cookie']).toBeUndefined();
  const control = await request.post('/lab-api/control', {
    headers: { origin: 'https://evil.test' },
    data: { variant: 'counter/ram/std', action: 'kill' },
  });
  expect(control.status()).toBe(403);
});
