// The site under its Content-Security-Policy: no page, demo frame or search breaks it, every response
// the browser gets carries the security headers, and a form posted from another site is refused.
import type { Page, Response } from '@playwright/test';
import { DEMO_CONTENT_SECURITY_POLICY } from '../sandbox/cli/security-headers.ts';
import { Demo, expect, revealAllTabs, settleDemos, test } from './fixtures.ts';

/** Records every CSP violation in the page and in its frames (demo iframes included). */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  // Exposed in every frame of the page, so a demo iframe reports its own violations too.
  await page.exposeFunction('reportCspViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const text = `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`;
      (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(text);
    });
  });
  // A blocked script of a page with no script of its own (a demo frame) still logs to the console.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  return seen;
}

interface Seen {
  url: string;
  status: number;
  headers: Record<string, string>;
}

/** Keeps every response of the site itself (pages, scripts, styles, search index, demo frames, JSON). */
function watchResponses(page: Page, origin: string): () => Promise<Seen[]> {
  const seen: Promise<Seen>[] = [];
  page.on('response', (response: Response) => {
    if (new URL(response.url()).origin !== origin) return;
    // allHeaders: headers() leaves out Set-Cookie.
    seen.push(
      response.allHeaders().then((headers) => ({ url: response.url(), status: response.status(), headers })),
    );
  });
  return () => Promise.all(seen);
}

/** Every response carries the headers; the demo pages their own policy; a Set-Cookie is never cached. */
function expectSecurityHeaders(responses: Seen[]): void {
  expect(responses.length).toBeGreaterThan(10);
  for (const { url, headers } of responses) {
    const path = new URL(url).pathname;
    const demo = path.startsWith('/lab/') || path.startsWith('/lab-api/');
    if (demo) expect(headers['content-security-policy'], url).toBe(DEMO_CONTENT_SECURITY_POLICY);
    else
      expect(headers['content-security-policy'], url).toMatch(
        /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-.*frame-ancestors 'self'/,
      );
    expect(headers['x-content-type-options'], url).toBe('nosniff');
    expect(headers['x-frame-options'], url).toBe('SAMEORIGIN');
    // The URL-transport demo's pages say no-referrer: their links hold the session id.
    expect(headers['referrer-policy'], url).toMatch(/^(same-origin|no-referrer)$/);
    if (headers['set-cookie']) expect(headers['cache-control'], url).toBe('no-store');
  }
}

test('home, chapters 3 and 7, the counter demo and search run under the CSP, every response with the headers', async ({
  page,
  baseURL,
}) => {
  const violations = await watchViolations(page);
  const responsesSoFar = watchResponses(page, new URL(baseURL ?? '').origin);
  for (const path of ['/', '/07-session-api/', '/demos/counter/', '/03-session-id/how-the-id-travels/']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await settleDemos(page);
    // Chapter 3's transports sit in tabs: the URL and hidden-field demos load only when shown.
    await revealAllTabs(page);
  }
  // The counter demo's own link and an inspector button (a same-origin POST to the demo).
  await page.goto('/demos/counter/');
  const counter = new Demo(page);
  await counter.ready();
  const before = Number(await counter.count.textContent());
  await counter.countAgain();
  await expect(counter.count).toHaveText(String(before + 1));
  await counter.press('Regenerate id');
  await expect(counter.live).toContainText('New id, same data');
  await expect(counter.count).toHaveText(String(before + 2));
  // The theme switch is one of the hashed inline scripts: it must have run.
  await page.goto('/07-session-api/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', /light|dark/);
  // Pagefind (WebAssembly) under the policy.
  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await dialog.getByRole('searchbox').or(dialog.locator('input.pagefind-ui__search-input')).fill('fixation');
  await expect(dialog.locator('a.pagefind-ui__result-link').first()).toBeVisible();
  // The site's 404 page.
  expect((await page.goto('/no-such-chapter/'))?.status()).toBe(404);

  const all = await responsesSoFar();
  expectSecurityHeaders(all);
  const paths = all.map(({ url }) => new URL(url).pathname);
  for (const kind of [
    /^\/_astro\/.*\.js$/,
    /^\/_astro\/.*\.css$/,
    /^\/pagefind\//,
    /^\/lab\//,
    /^\/lab-api\//,
  ])
    expect(
      paths.some((path) => kind.test(path)),
      String(kind),
    ).toBe(true);
  expect(violations).toEqual([]);
});

test('the name form works through its three pages inside its frame under the CSP', async ({
  page,
  baseURL,
}) => {
  const violations = await watchViolations(page);
  const responsesSoFar = watchResponses(page, new URL(baseURL ?? '').origin);
  await page.goto('/demos/name-form/');
  const demo = new Demo(page);
  await demo.ready();
  await demo.app.getByLabel('First name').fill('Ada');
  await demo.app.getByLabel('Last name').fill('Lovelace');
  await demo.app.getByRole('button', { name: 'Save my name' }).click();
  await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello Ada Lovelace');
  await demo.app.getByRole('link', { name: 'Go to page 3' }).click();
  await expect(demo.app.getByText('Still here, Ada?')).toBeVisible();
  await demo.idle();

  const all = await responsesSoFar();
  expectSecurityHeaders(all);
  const framed = all.filter(({ url }) => new URL(url).pathname.startsWith('/lab/name-form/'));
  // Page 1, the POST (303), page 2, page 3 at least.
  expect(framed.length).toBeGreaterThan(3);
  expect(framed.some(({ status }) => status === 303)).toBe(true);
  expect(violations).toEqual([]);
});

test("a form on another site posting to the name form gets a 403 page, and the reader's name stays", async ({
  page,
  baseURL,
}) => {
  const site = new URL(baseURL ?? '');
  await page.goto('/demos/name-form/');
  const demo = new Demo(page);
  await demo.ready();
  const base = new URL((await demo.root.locator('iframe').getAttribute('src')) ?? '', site).pathname;
  await demo.app.getByLabel('First name').fill('Ada');
  await demo.app.getByLabel('Last name').fill('Lovelace');
  await demo.app.getByRole('button', { name: 'Save my name' }).click();
  await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello Ada Lovelace');

  // A page of another site (served by the test) that submits a form to the demo, as an attacker's would:
  // Chromium itself sends Origin and Sec-Fetch-Site: cross-site.
  await page.route('http://evil.test/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<form method="post" action="${new URL(`${base}save`, site)}">
<input name="firstName" value="Mallory"><input name="lastName" value="Evil"><button>Win a prize</button></form>`,
    }),
  );
  await page.goto('http://evil.test/prize');
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith(`${base}save`)),
    page.getByRole('button', { name: 'Win a prize' }).click(),
  ]);
  expect(answer.status()).toBe(403);
  expect(await answer.request().headerValue('origin')).toBe('http://evil.test');
  // The evidence the engine read (Playwright does not list the Sec-Fetch-* headers the browser added).
  await expect(page.getByRole('alert')).toContainText('(Sec-Fetch-Site: cross-site)');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Refused: this request came from another site',
  );
  expect(answer.headers()['set-cookie']).toBeUndefined();

  // Back on the site, the session still holds the reader's own name.
  await page.goto('/demos/name-form/');
  await new Demo(page).ready();
  await expect(new Demo(page).part('stored')).toContainText('"firstName": "Ada"');

  // The site's process controls refuse another site as well.
  const control = await page.request.post('/lab-api/control', {
    headers: { origin: 'http://evil.test' },
    data: { variant: 'counter/ram/std', action: 'kill' },
  });
  expect(control.status()).toBe(403);
});
