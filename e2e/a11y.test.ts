// axe-core on every page of the site, in the light and the dark theme: the home page, every chapter,
// /demos/ and each full-page demo, the not-found page, and each demo app's own page under /lab/ (what the
// iframes show). Chapter and demo pages are checked with every live demo loaded, tab by tab (the app
// page in each iframe is checked too). No violation of impact "serious" or "critical" is allowed.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { Result } from 'axe-core';
import { APPS } from '../lessons/apps.ts';
import {
  DEMO_PAGES,
  expect,
  GLOSSARY,
  HOME,
  REFERENCE_PAGES,
  revealAllTabs,
  type SitePage,
  STEPS,
  settleDemos,
  test,
} from './fixtures.ts';

/** One violation as a reader can act on it: rule, impact, help link, and each element with its failure. */
function explain(violation: Result): string {
  const nodes = violation.nodes.map((node) => {
    const where = node.target.map(String).join(' >> ');
    const why = node.failureSummary?.replace(/\s*\n\s*/g, ' ') ?? '';
    return `    - ${where}\n      ${node.html.slice(0, 200)}\n      ${why}`;
  });
  return `${violation.impact}: ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes.join('\n')}`;
}

/** axe's serious and critical violations on the page as it is now, explained; '' when there are none. */
async function seriousViolations(page: Page): Promise<string> {
  // Legacy mode runs axe inside each (same-origin) demo frame without a second blank page: much faster.
  const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(explain)
    .join('\n\n');
}

const NOT_FOUND: SitePage = { path: '/no-such-page/', name: 'not-found', title: 'Page not found' };

/** Each demo app's page on its default store, as the demo frames load it (no Starlight shell around it). */
const LAB_PAGES: SitePage[] = Object.entries(APPS).map(([app, { title, defaultStore }]) => ({
  path: `/lab/${app}/${defaultStore}/std/`,
  name: `lab-${app}`,
  title,
}));

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    for (const target of [HOME, ...STEPS, ...REFERENCE_PAGES, GLOSSARY, ...DEMO_PAGES, NOT_FOUND]) {
      test(`${target.path} has no serious or critical accessibility problems (${theme} theme)`, async ({
        page,
      }) => {
        await page.goto(target.path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await settleDemos(page);
        // Each tab of a <Tabs> holds its own demo: all panels are shown, so one run sees every demo.
        await revealAllTabs(page);
        expect(await seriousViolations(page)).toBe('');
      });
    }

    for (const target of LAB_PAGES) {
      test(`${target.path} has no serious or critical accessibility problems (${theme} theme)`, async ({
        page,
      }) => {
        const response = await page.goto(target.path);
        expect(response?.status()).toBe(200);
        expect(await seriousViolations(page)).toBe('');
      });
    }
  });
}

test.describe('code blocks on a phone, before any script has run', () => {
  // Expressive Code's script makes a wide block focusable only after the page has loaded and idled; the
  // HTML alone must already let a keyboard reach and scroll it, and name it.
  test.use({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false });

  test('a code block wider than the screen is a named region the keyboard can focus and scroll', async ({
    page,
  }) => {
    // Chapter 3's cookie-attributes step: its Set-Cookie line is wider than a phone.
    await page.goto('/03-session-id/cookie-attributes/');
    const blocks = page.locator('.expressive-code pre');
    const wide = await blocks.evaluateAll((pres) =>
      pres.flatMap((pre, index) => (pre.scrollWidth > pre.clientWidth ? [index] : [])),
    );
    expect(wide.length, 'code blocks wider than 375 px on chapter 3').toBeGreaterThan(0);
    const block = blocks.nth(wide[0] ?? 0);
    await expect(block).toHaveRole('region');
    await expect(block).toHaveAccessibleName(/^Code\b/);
    await block.focus();
    await expect(block).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => block.evaluate((pre) => pre.scrollLeft)).toBeGreaterThan(0);
  });
});
