// <Source mark="…"> on a chapter page: an excerpt of the named regions, numbered as the file is, and a
// toggle that opens the whole file with the regions marked. Checked against the file itself, read here,
// with the keyboard only, without JavaScript, on a phone-sized screen.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { readRegions, regionLines } from '../site/lib/source-files.ts';
import { expect, test } from './fixtures.ts';

// Chapter 12 shows three regions of the proxy, with lines left out between them.
const PAGE = '/12-scaling-out/shared-store/';
const FILE = 'sandbox/cli/proxy.ts';
const REGIONS = 'rotation,down,pid';

const text = readFileSync(FILE, 'utf8').replace(/\n$/, '');
const fileLines = text.split('\n');
const source = readRegions(FILE, text);
const shown = source.code.split('\n');
const marked = regionLines(FILE, source, REGIONS);
const inside = marked.map((line) => shown[line - 1]?.trim() ?? '').filter(Boolean);
/** Lines outside the regions that appear nowhere inside them (no `}` or `});` that both have). */
const outside = shown
  .filter((line, index) => !marked.includes(index + 1) && line.trim().length > 20)
  .map((line) => line.trim())
  .filter((line) => !inside.some((kept) => kept.includes(line)));

const EXCERPT = { name: new RegExp(`^Code: ${FILE}, lines \\d`) };
const WHOLE = { name: `Code: ${FILE}, the whole file` };

/** Each line of a rendered code block: its gutter number ('' for none) and its code, trimmed. */
async function linesOf(block: Locator): Promise<{ number: string; code: string }[]> {
  return block.locator('.ec-line').evaluateAll((lines) =>
    lines.map((line) => ({
      number: line.querySelector('.ln')?.textContent ?? '',
      code: (line.querySelector('.code')?.textContent ?? '').trim(),
    })),
  );
}

/** Presses Tab until `target` has focus, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 10): Promise<void> {
  for (let i = 0; i < max && !(await target.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused({ timeout: 1 });
}

test.describe('an excerpt of a file, on a phone, before any script has run', () => {
  test.use({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false });

  test('shows the regions only, each line with its number in the file, and a gap line between runs', async ({
    page,
  }) => {
    expect(outside.length, 'lines outside the regions to look for').toBeGreaterThan(5);
    await page.goto(PAGE);
    const excerpt = page.getByRole('region', EXCERPT);
    await expect(excerpt).toBeVisible();
    const lines = await linesOf(excerpt);

    const code = lines.filter((line) => line.number !== '');
    expect(code.map((line) => line.code).filter(Boolean)).toEqual(inside);
    for (const { number, code: line } of code) {
      expect(fileLines[Number(number) - 1]?.trim(), `line ${number} of ${FILE}`).toBe(line);
    }
    const gaps = lines.filter((line) => line.number === '');
    expect(gaps.map((line) => line.code)).toEqual(['// …']);
    for (const line of outside) expect(lines.map((l) => l.code)).not.toContain(line);

    // The whole file waits behind its toggle; the page itself does not scroll sideways.
    await expect(page.getByRole('region', WHOLE)).toBeHidden();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  test('the keyboard opens the whole file, the regions marked, and closes it again', async ({ page }) => {
    await page.goto(PAGE);
    const toggle = page.getByText(`Show the whole file (${fileLines.length} lines)`);
    const whole = page.getByRole('region', WHOLE);

    await page.getByRole('region', EXCERPT).focus();
    await tabTo(page, toggle);
    await page.keyboard.press('Enter');
    await expect(whole).toBeVisible();

    const lines = await linesOf(whole);
    expect(lines).toHaveLength(shown.length);
    expect(lines.at(-1)?.number).toBe(String(fileLines.length));
    expect(lines.map((line) => line.code)).toEqual(expect.arrayContaining(outside));
    const highlighted = await whole
      .locator('.ec-line.mark .code')
      .evaluateAll((codes) => codes.map((code) => (code.textContent ?? '').trim()).filter(Boolean));
    expect(highlighted).toEqual(inside);

    await page.keyboard.press('Space');
    await expect(whole).toBeHidden();
  });
});

test('a <Source> without regions shows the whole file, numbered, with no toggle', async ({ page }) => {
  const file = 'lessons/07-session-api/counter.ts';
  await page.goto('/07-session-api/');
  const block = page.getByRole('region', { name: `Code: ${file}` });
  const lines = await linesOf(block);
  const expected = readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  expect(lines.map((line) => line.number)).toEqual(expected.map((_, index) => String(index + 1)));
  expect(lines.map((line) => line.code)).toEqual(expected.map((line) => line.trim()));
  await expect(page.locator('.source-excerpt', { has: block })).toHaveCount(0);
});

// e2e/a11y.test.ts checks each page as it loads, its toggles closed; here the whole files are open too
// (marked lines have a tinted background, and their line numbers must still be legible).
for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    for (const path of ['/03-session-id/', PAGE]) {
      test(`${path} with every whole file open: axe finds nothing serious`, async ({ page }) => {
        await page.goto(path);
        const toggles = page.locator('.source-excerpt > details > summary');
        expect(await toggles.count()).toBeGreaterThan(0);
        for (const toggle of await toggles.all()) await toggle.click();
        await expect(page.locator('.source-excerpt > details:not([open])')).toHaveCount(0);
        const { violations } = await new AxeBuilder({ page }).include('.source-excerpt').analyze();
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
          [],
        );
      });
    }
  });
}
