// Every chapter, the glossary and every demo page at a phone width (375 px) and a desktop width
// (1280 px): nothing scrolls sideways, and a full-page screenshot of each is kept in
// test-results/screenshots/<width>/<page>.png for a person to look at. The live demos are loaded
// first, so the inspector is part of the picture.
import type { Page } from '@playwright/test';
import {
  DEMO_PAGES,
  expect,
  GLOSSARY,
  HOME,
  revealAllTabs,
  type SitePage,
  STEPS,
  settleDemos,
  test,
} from './fixtures.ts';

const WIDTHS = [375, 1280] as const;

/** The elements that reach past the right edge, outermost first, for the failure message. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const found: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= limit + 0.5) continue;
      const parent = element.parentElement?.getBoundingClientRect();
      if (parent && parent.right > limit + 0.5) continue; // report only where the overflow starts
      const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${
        element.classList.length ? `.${[...element.classList].join('.')}` : ''
      }`;
      found.push(`${name} reaches ${Math.round(box.right)} px: ${element.outerHTML.slice(0, 120)}`);
    }
    return found.slice(0, 10);
  });
}

/** Checks the page at `width`; saves a full-page screenshot when `file` is given. */
async function checkWidth(page: Page, target: SitePage, width: number, file?: string): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  // Let the layout settle at the new width (fonts, the sidebar's media queries).
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (file) await page.screenshot({ path: `test-results/screenshots/${width}/${file}.png`, fullPage: true });
  const culprits = scrollWidth > clientWidth ? await overflowing(page) : [];
  expect(
    scrollWidth,
    `${target.path} at ${width} px scrolls sideways (${scrollWidth} > ${clientWidth}):\n${culprits.join('\n')}`,
  ).toBeLessThanOrEqual(clientWidth);
}

for (const target of [HOME, ...STEPS, GLOSSARY, ...DEMO_PAGES]) {
  test(`${target.path} fits a ${WIDTHS.join(' px and a ')} px screen without sideways scrolling`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: WIDTHS[0], height: 800 });
    await page.goto(target.path);
    await settleDemos(page);
    for (const width of WIDTHS) await checkWidth(page, target, width, target.name);
    // The other tabs of each <Tabs> hold other demos: shown all at once, they must fit too.
    await page.setViewportSize({ width: WIDTHS[0], height: 800 });
    if (await revealAllTabs(page)) for (const width of WIDTHS) await checkWidth(page, target, width);
  });
}

test('dark mode: chapter 7 and the counter demo fit both widths too', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  for (const target of [
    STEPS.find((s) => s.path === '/07-session-api/'),
    DEMO_PAGES.find((d) => d.name === 'demos-counter'),
  ]) {
    if (!target) throw new Error('chapter 7 or /demos/counter/ is missing');
    await page.setViewportSize({ width: WIDTHS[0], height: 800 });
    await page.goto(target.path);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await settleDemos(page);
    for (const width of WIDTHS) await checkWidth(page, target, width, `dark-${target.name}`);
  }
  await context.close();
});
