// No broken internal links: every same-site link on every chapter and demo page answers below 400.
import { CHAPTERS, DEMO_PAGES, expect, HOME, test } from './fixtures.ts';

test('every internal link on the chapter and demo pages leads somewhere', async ({ request }) => {
  const links = new Map<string, string>(); // link → the page it was found on
  for (const { path } of [HOME, ...CHAPTERS, ...DEMO_PAGES]) {
    const html = await (await request.get(path)).text();
    for (const [, href] of html.matchAll(/<a\b[^>]*\shref="(\/[^"#]*)/g)) {
      if (href && !href.startsWith('//') && !links.has(href)) links.set(href, path);
    }
  }
  expect(links.size).toBeGreaterThan(20);
  const broken: string[] = [];
  for (const [href, foundOn] of links) {
    const status = (await request.get(href.replace(/&amp;/g, '&'))).status();
    if (status >= 400) broken.push(`${href} (found on ${foundOn}): ${status}`);
  }
  expect(broken.join('\n'), `${broken.length} broken links`).toBe('');
});
