// axe-core on every chapter and demo page, light theme, with every live demo loaded, tab by tab (its app
// page in the iframe is checked too): no violation of impact "serious" or "critical".
import AxeBuilder from '@axe-core/playwright';
import type { Result } from 'axe-core';
import { CHAPTERS, DEMO_PAGES, expect, HOME, revealAllTabs, settleDemos, test } from './fixtures.ts';

test.use({ colorScheme: 'light' });

/** One violation as a reader can act on it: rule, impact, help link, and each element with its failure. */
function explain(violation: Result): string {
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
    // Each tab of a <Tabs> holds its own demo: all panels are shown, so one run sees every demo.
    await revealAllTabs(page);
    // Legacy mode runs axe inside each (same-origin) demo frame without a second blank page: much faster.
    const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map(explain).join('\n\n'), `${bad.length} serious or critical violations`).toBe('');
  });
}
