// axe-core on every chapter and demo page, light theme, with every live demo loaded (its app page in
// the iframe is checked too): no violation of impact "serious" or "critical".
import AxeBuilder from '@axe-core/playwright';
import type { Result } from 'axe-core';
import { CHAPTERS, DEMO_PAGES, expect, HOME, settleDemos, test } from './fixtures.ts';

test.use({ colorScheme: 'light' });

/** One violation as a reader can act on it: rule, impact, help link, and each element with its failure. */
function describe(violation: Result): string {
  const nodes = violation.nodes.map((node) => {
    const where = node.target.map(String).join(' >> ');
    const why = node.failureSummary?.replace(/\s*\n\s*/g, ' ') ?? '';
    return `    - ${where}\n      ${node.html.slice(0, 200)}\n      ${why}`;
  });
  return `${violation.impact}: ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes.join('\n')}`;
}

for (const target of [HOME, ...CHAPTERS, ...DEMO_PAGES]) {
  test(`${target.path} has no serious or critical accessibility problems (light theme)`, async ({ page }) => {
    await page.goto(target.path);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await settleDemos(page);
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map(describe).join('\n\n'), `${bad.length} serious or critical violations`).toBe('');
  });
}
