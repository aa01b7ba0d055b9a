// What the browser sees: the scripts a page loads, and how long a demo click takes to reach the inspector.
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../sandbox/testing/chromium.ts';

const LAUNCH = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

/**
 * Search's own code: Pagefind's index and wasm (/pagefind/), Starlight's search script, and the Pagefind
 * UI it imports (bundled as ui-core), which Starlight fetches when the browser is idle, before any search.
 */
function isSearch(url: string): boolean {
  const path = new URL(url).pathname;
  return path.startsWith('/pagefind/') || /^\/_astro\/(Search\.astro_|ui-core\.)/.test(path);
}

/**
 * Every script the page runs once loaded and its demos settled (external files, the demo frames' too,
 * and inline <script> bodies), gzip-compressed one by one as a server would send them. Search is left
 * out: Pagefind loads only when the reader opens the search box.
 */
export async function shippedScripts(
  url: string,
): Promise<{ gzipBytes: number; files: { url: string; gzip: number }[] }> {
  const browser = await chromium.launch(LAUNCH);
  try {
    const page = await browser.newPage();
    const files: { url: string; gzip: number }[] = [];
    const pending: Promise<void>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script' || isSearch(response.url())) return;
      pending.push(
        response.body().then((body) => {
          files.push({ url: new URL(response.url()).pathname, gzip: gzipSync(body).length });
        }),
      );
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    // The demos' frames load lazily: bring each into view, as a reader scrolling down would.
    for (const frame of await page.locator('session-demo iframe').all()) await frame.scrollIntoViewIfNeeded();
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    for (const frame of page.frames()) {
      const inline = await frame.evaluate(() =>
        [...document.querySelectorAll('script:not([src])')]
          .filter((s) => !/json/.test(s.getAttribute('type') ?? ''))
          .map((s) => s.textContent ?? ''),
      );
      inline.forEach((text, i) => {
        files.push({ url: `${new URL(frame.url()).pathname} inline #${i + 1}`, gzip: gzipSync(text).length });
      });
    }
    return { gzipBytes: files.reduce((sum, f) => sum + f.gzip, 0), files };
  } finally {
    await browser.close();
  }
}

/**
 * Milliseconds from a click on the counter's "Count again" link inside the demo frame to the inspector
 * showing the new count (and, for the record, to the frame's load of the new page), measured in the page with a MutationObserver (no Playwright round trip inside).
 * Each click waits for the demo page of the one before to have loaded, then `pauseMs` more, as a reader
 * reading the page would: with no pause at all a click queues behind the work the last one left.
 */
export async function clickLatencies(
  origin: string,
  store: string,
  clicks: number,
  pauseMs: number,
): Promise<{ inspector: number[]; page: number[] }> {
  const browser = await chromium.launch(LAUNCH);
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/demos/counter/`);
    const demo = page.locator('session-demo').first();
    await demo.getByRole('radio', { name: backendLabel(store) }).check();
    // The switch settles, then loads the new backend's page: until then the RAM page and its inspector
    // are still showing, and a click there would be timed against the wrong store.
    await page.waitForFunction((path) => {
      const root = document.querySelector('session-demo');
      const frame = root?.querySelector('iframe');
      return (
        root?.getAttribute('aria-busy') !== 'true' &&
        frame?.contentWindow?.location.pathname.startsWith(path) === true &&
        root?.querySelector('[data-part="stored"]')?.textContent?.includes('"pageViews"') === true
      );
    }, `/lab/counter/${store}/`);
    const times = { inspector: [] as number[], page: [] as number[] };
    for (let i = 0; i < clicks; i++) {
      const click = await page.evaluate(async (pause) => {
        const root = document.querySelector('session-demo') as HTMLElement;
        const frame = root.querySelector('iframe') as HTMLIFrameElement;
        const stored = root.querySelector('[data-part="stored"]') as HTMLElement;
        const doc = frame.contentDocument as Document;
        const next = Number(doc.querySelector('#count')?.textContent) + 1;
        const link = [...doc.querySelectorAll('a')].find((a) => a.textContent === 'Count again');
        const shown = () => stored.textContent?.includes(`"pageViews": ${next}`) === true;
        const started = performance.now();
        const done = new Promise<void>((resolve) => {
          const observer = new MutationObserver(() => {
            if (shown()) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(stored, { subtree: true, childList: true, characterData: true });
          // Never shown: counted as 5 s, far over any budget, rather than hanging the run.
          setTimeout(resolve, 5_000);
        });
        // The inspector may update before the page does: the next click waits for the page, as a
        // reader would, so it is not made on the old page while the new one is on its way.
        const pageLoaded = new Promise<number>((resolve) => {
          frame.addEventListener('load', () => resolve(performance.now()), { once: true });
          setTimeout(() => resolve(performance.now()), 5_000);
        });
        link?.click();
        await done;
        const inspector = performance.now() - started;
        const page = (await pageLoaded) - started;
        await new Promise((resolve) => setTimeout(resolve, pause));
        return { inspector, page };
      }, pauseMs);
      times.inspector.push(click.inspector);
      times.page.push(click.page);
    }
    return times;
  } finally {
    await browser.close();
  }
}

function backendLabel(store: string): string {
  return { ram: 'RAM', file: 'Files', sqlite: 'SQLite' }[store] ?? store;
}
