// No broken internal links: every same-origin <a href> on the home, chapter, reference, glossary and
// demo pages answers a GET with a status below 400, and a #fragment names an element on the page it
// points to. Demo links (/lab/…) are included: they start the demo and answer 200. The same for the
// files each page loads.
import type { APIRequestContext, Page } from '@playwright/test';
import {
  DEMO_PAGES,
  expect,
  GLOSSARY,
  HOME,
  PAGES_TIMEOUT,
  REFERENCE_PAGES,
  type SitePage,
  STEPS,
  serverStoreOf,
  skipUnless,
  test,
} from './fixtures.ts';

const PAGES: SitePage[] = [HOME, ...STEPS, ...REFERENCE_PAGES, GLOSSARY, ...DEMO_PAGES];

/** Same-origin URLs (`href`, else `src`) of the elements matching `selector` on every page, with the pages they are on. */
async function collect(page: Page, selector: string): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  for (const source of PAGES) {
    const response = await page.goto(source.path, { waitUntil: 'domcontentloaded' });
    expect(response?.status(), source.path).toBe(200);
    const urls = await page.locator(selector).evaluateAll((elements) =>
      elements
        .map((el) => el.getAttribute('href') ?? el.getAttribute('src'))
        .filter((value): value is string => value !== null && value !== '')
        .map((value) => new URL(value, location.href))
        .filter((url) => url.origin === location.origin)
        .map((url) => url.pathname + url.search + url.hash),
    );
    for (const url of urls) found.set(url, (found.get(url) ?? new Set()).add(source.path));
  }
  return found;
}

/** Fetches each target once; returns one line per broken one, naming the pages that link to it. */
async function broken(request: APIRequestContext, targets: Map<string, Set<string>>): Promise<string[]> {
  const bodies = new Map<string, Promise<{ status: number; body: string }>>();
  const problems: string[] = [];
  for (const [target, sources] of targets) {
    const [address = '', fragment] = target.split('#');
    const from = `(on ${[...sources].join(', ')})`;
    const store = serverStoreOf(address);
    const skip = store ? await skipUnless(store) : false;
    if (skip) {
      test.info().annotations.push({ type: 'skipped link', description: `${address}: ${skip}` });
      continue;
    }
    let fetched = bodies.get(address);
    if (!fetched) {
      fetched = request.get(address, { maxRedirects: 5 }).then(async (r) => ({
        status: r.status(),
        body: r.headers()['content-type']?.includes('html') ? await r.text() : '',
      }));
      bodies.set(address, fetched);
    }
    const { status, body } = await fetched;
    if (status >= 400) problems.push(`${address} answers ${status} ${from}`);
    else if (fragment && !hasId(body, decodeURIComponent(fragment)))
      problems.push(`${target}: no element with id "${fragment}" on ${address} ${from}`);
  }
  return problems;
}

function hasId(html: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/&/g, '&(?:amp;)?');
  return new RegExp(`\\sid=(["']?)${escaped}\\1[\\s>/]`).test(html);
}

test('every internal link on the chapter and demo pages answers, and its #fragment exists', async ({
  page,
  request,
}) => {
  // It visits every page of the course, one after another: a few seconds each, not one minute in all.
  test.setTimeout(PAGES_TIMEOUT);
  const links = await collect(page, 'a[href]');
  expect(links.size).toBeGreaterThan(STEPS.length);
  const problems = await broken(request, links);
  expect(problems.join('\n'), `${problems.length} broken links`).toBe('');
});

test('every file the chapter and demo pages load (styles, scripts, icon, demo frames) is there', async ({
  page,
  request,
}) => {
  // It visits every page of the course, one after another: a few seconds each, not one minute in all.
  test.setTimeout(PAGES_TIMEOUT);
  const files = await collect(
    page,
    'link[href]:not([rel="canonical"]):not([rel="alternate"]), script[src], img[src], iframe[src]',
  );
  const problems = await broken(request, files);
  expect(problems.join('\n'), `${problems.length} missing files`).toBe('');
});
