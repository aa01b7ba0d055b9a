// The diagrams (site/components/diagrams/) and the glossary. Each diagram is on its chapter as one image
// with a name and a text alternative, its every label and line stands out from the page in the light and
// the dark theme (drawn in the theme's colours, none hard-coded), and on a 375 px phone it stays inside
// the screen with no label smaller than 11 px. A screenshot of each, per theme and width, is kept in
// test-results/screenshots/diagrams/ for a person to look at. The glossary has an entry, with a source,
// for every term a chapter links to it.
import type { Locator, Page } from '@playwright/test';
import { expect, PAGES_TIMEOUT, STEPS, test } from './fixtures.ts';

const DIAGRAMS = [
  { chapter: '/03-session-id/', name: 'The cookie round trip', file: 'cookie-round-trip' },
  { chapter: '/10-concurrency/', name: 'A lost update between two parallel requests', file: 'lost-update' },
  { chapter: '/11-security/fixation/', name: 'Session fixation', file: 'session-fixation' },
  {
    chapter: '/12-scaling-out/shared-store/',
    name: 'Two workers behind a proxy: memory store versus shared store',
    file: 'two-workers',
  },
] as const;

const THEMES = ['light', 'dark'] as const;

/** WCAG contrast of the least visible label (text) and line (arrow, lifeline) against the page background. */
function weakestContrast(svg: Locator): Promise<{ text: number; line: number; worst: string }> {
  return svg.evaluate((element) => {
    const rgb = (color: string): number[] => {
      const parts = color.match(/[\d.]+/g)?.map(Number) ?? [];
      if (parts.length < 3) throw new Error(`cannot read the colour "${color}"`);
      return parts.slice(0, 3);
    };
    const luminance = (color: string): number => {
      const [r = 0, g = 0, b = 0] = rgb(color).map((c) => {
        const v = c / 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    const page = getComputedStyle(document.body).backgroundColor;
    let worst = '';
    let text = Number.POSITIVE_INFINITY;
    for (const label of element.querySelectorAll('text')) {
      const value = contrast(getComputedStyle(label).fill, page);
      if (value < text)
        [text, worst] = [value, `"${label.textContent}" ${getComputedStyle(label).fill} on ${page}`];
    }
    let line = Number.POSITIVE_INFINITY;
    // Arrows and lifelines carry meaning; the rule between two panels is decoration.
    for (const stroke of element.querySelectorAll('line:not(.d-rule)')) {
      line = Math.min(line, contrast(getComputedStyle(stroke).stroke, page));
    }
    return { text, line, worst };
  });
}

/** The rendered size, in CSS pixels, of the smallest label in the drawing. */
function smallestLabel(svg: Locator): Promise<number> {
  return svg.evaluate((element) =>
    Math.min(
      ...[...element.querySelectorAll('text')].map(
        (label) => Number.parseFloat(getComputedStyle(label).fontSize) * (label.getScreenCTM()?.a ?? 0),
      ),
    ),
  );
}

async function open(page: Page, path: string, theme: (typeof THEMES)[number]): Promise<void> {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

for (const theme of THEMES) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    for (const { chapter, name, file } of DIAGRAMS) {
      test(`${chapter}: "${name}" is an image with a text alternative, legible at 375 and 1280 px`, async ({
        page,
      }) => {
        await page.setViewportSize({ width: 375, height: 800 });
        await open(page, chapter, theme);
        const svg = page.getByRole('img', { name, exact: true });
        await expect(svg).toHaveCount(1);
        await svg.scrollIntoViewIfNeeded();
        await expect(svg).toBeVisible();
        // The text alternative says, in words, what the drawing shows; the caption is there for everyone.
        await expect(svg).toHaveAccessibleDescription(/\S{3,}(\s+\S+){30,}/);
        const figure = page.locator('figure', { has: svg });
        await expect(figure.locator('figcaption')).toBeVisible();
        await expect(figure.locator('figcaption')).not.toBeEmpty();

        const { text, line, worst } = await weakestContrast(svg);
        expect(text, `weakest label: ${worst}`).toBeGreaterThanOrEqual(4.5);
        // WCAG's minimum for graphics a reader needs (1.4.11 non-text contrast).
        expect(line, 'weakest arrow or lifeline').toBeGreaterThanOrEqual(3);

        for (const width of [375, 1280]) {
          await page.setViewportSize({ width, height: 1200 });
          await svg.scrollIntoViewIfNeeded();
          const box = await svg.boundingBox();
          const viewport = await page.evaluate(() => document.documentElement.clientWidth);
          expect(box, 'the diagram has a size').not.toBeNull();
          expect(box?.x, `left edge at ${width} px`).toBeGreaterThanOrEqual(0);
          expect((box?.x ?? 0) + (box?.width ?? 0), `right edge at ${width} px`).toBeLessThanOrEqual(
            viewport,
          );
          expect(box?.width, `width at ${width} px`).toBeGreaterThan(300);
          expect(await smallestLabel(svg), `smallest label at ${width} px`).toBeGreaterThanOrEqual(11);
          await figure.screenshot({
            path: `test-results/screenshots/diagrams/${file}-${theme}-${width}.png`,
          });
        }
      });
    }
  });
}

test('the glossary has an entry, with a source, for every term a chapter links to, and is in the sidebar', async ({
  page,
}) => {
  // It visits every page of the course, one after another: a few seconds each, not one minute in all.
  test.setTimeout(PAGES_TIMEOUT);
  const linked = new Set<string>();
  for (const chapter of STEPS) {
    await page.goto(chapter.path, { waitUntil: 'domcontentloaded' });
    const hrefs = await page
      .locator('main a[href^="/glossary/#"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    for (const href of hrefs) linked.add(decodeURIComponent(href.slice('/glossary/#'.length)));
  }
  // The jargon issue 12 names is among them.
  for (const term of [
    'hash',
    'fsync',
    'atomic-rename',
    'hmac',
    'aes-gcm',
    'origin',
    'lua',
    'devalue',
    'adapter',
  ])
    expect([...linked], `a chapter links "${term}" to the glossary`).toContain(term);

  const response = await page.goto('/glossary/');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Glossary', exact: true }),
  ).toHaveAttribute('aria-current', 'page');
  for (const term of linked) {
    const entry = page.locator(`dt[id="${term}"]`);
    await expect(entry, `an entry for #${term}`).toHaveCount(1);
    // Its explanation follows, with a link to a primary source.
    const explanation = entry.locator('xpath=following-sibling::dd[1]');
    await expect(explanation.locator('a[href^="https://"]').first(), `a source for #${term}`).toBeAttached();
  }
});
