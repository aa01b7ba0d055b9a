// What every browser test shares: `test` (which skips, or fails under CI, without Chromium), the list of
// chapter and demo pages, and a wait for the live demos on a page to finish loading.
import { readdirSync, readFileSync } from 'node:fs';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { APPS } from '../lessons/apps.ts';
import { readChapters } from '../lessons/chapters.ts';
import { skipUnless, skipUnlessChromium } from '../sandbox/testing/servers.ts';

export { expect };

export const test = base.extend<{ chromiumInstalled: undefined }>({
  // Auto: set up before `page`, so a missing browser is a skip (laptop) or a failure (CI), not a crash.
  chromiumInstalled: [
    async ({ browserName }, use, testInfo) => {
      const reason = await skipUnlessChromium();
      testInfo.skip(Boolean(reason), `${browserName}: ${reason}`);
      await use(undefined);
    },
    { auto: true },
  ],
});

export interface SitePage {
  /** Path on the site, ending in `/`. */
  path: string;
  /** A file-name-safe name for screenshots and test titles. */
  name: string;
  /** The h1 Starlight renders (the frontmatter title). */
  title: string;
}

const lessons = new URL('../lessons/', import.meta.url);

/** Every page of every chapter, in reading order (lessons/chapters.ts, as astro.config.mjs builds the sidebar). */
export const STEPS: (SitePage & { chapter: number; step: number; steps: number })[] = readChapters().flatMap(
  (chapter, c) =>
    chapter.steps.map((step, i) => ({
      path: step.path,
      name: step.id.replace('/', '-'),
      title: step.title,
      chapter: c + 1,
      step: i + 1,
      steps: chapter.steps.length,
    })),
);

/** Time for a test that visits every page of the course in turn: 5 s a page (a page with demos takes longest). */
export const PAGES_TIMEOUT = 60_000 + STEPS.length * 5_000;

/** Where a `<Demo>` lives: the step page whose .mdx holds it, and its place among the page's demos. */
export interface DemoPlace {
  path: string;
  /** 0-based index among the page's `<session-demo>` elements, in source order. */
  index: number;
}

/**
 * Finds the step page whose .mdx holds a `<Demo>` with all the given props (`{ app: 'counter', workers: 2 }`
 * matches `app="counter"` and `workers={2}`; a string in braces is matched as written: `controls: "{['restart']}"`), so a test follows its demo when chapters are split into
 * steps. `chapter` (a folder-name prefix, `'06'`) picks one when several chapters hold the same demo.
 */
export function findDemo(props: Record<string, string | number | boolean>, chapter?: string): DemoPlace {
  const found: DemoPlace[] = [];
  for (const c of readChapters()) {
    if (chapter && !c.slug.startsWith(chapter)) continue;
    for (const step of c.steps) {
      const text = readFileSync(new URL(`../${step.file}`, import.meta.url), 'utf8');
      const tags = text.match(/<Demo\s[^>]*?\/>/g) ?? [];
      tags.forEach((tag, index) => {
        const all = Object.entries(props).every(([key, value]) =>
          typeof value === 'string'
            ? tag.includes(value.startsWith('{') ? `${key}=${value}` : `${key}="${value}"`)
            : tag.includes(`${key}={${value}}`) ||
              (value === true && new RegExp(`\\s${key}[\\s/]`).test(tag)),
        );
        if (all) found.push({ path: step.path, index });
      });
    }
  }
  if (found.length !== 1) {
    throw new Error(`findDemo(${JSON.stringify(props)}): expected one <Demo>, found ${found.length}`);
  }
  return found[0] as DemoPlace;
}

/** Each chapter's first page, in reading order. */
export const CHAPTERS: SitePage[] = STEPS.filter((page) => page.step === 1);

/** The reference pages (`lessons/reference/*.mdx`), in their `sidebar.order`, as the "Reference" sidebar group lists them. */
export const REFERENCE_PAGES: SitePage[] = readdirSync(new URL('reference/', lessons))
  .filter((file) => file.endsWith('.mdx'))
  .map((file) => {
    const text = readFileSync(new URL(`reference/${file}`, lessons), 'utf8');
    const title = /^title:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? file;
    const order = Number(/^\s+order:\s*(\d+)/m.exec(text)?.[1] ?? Infinity);
    const slug = file.replace(/\.mdx$/, '');
    return {
      path: `/reference/${slug}/`,
      name: `reference-${slug}`,
      title: title.replace(/^(['"])(.*)\1$/, '$2'),
      order,
    };
  })
  .sort((a, b) => a.order - b.order)
  .map(({ order: _order, ...page }) => page);

/** `/demos/` and one full-page demo per lesson app. */
export const DEMO_PAGES: SitePage[] = [
  { path: '/demos/', name: 'demos', title: 'All demos' },
  ...Object.entries(APPS).map(([app, { title }]) => ({
    path: `/demos/${app}/`,
    name: `demos-${app}`,
    title,
  })),
];

export const HOME: SitePage = { path: '/', name: 'home', title: 'Session Lab' };

/** The glossary (`lessons/glossary.mdx`), which the chapters link their jargon to. */
export const GLOSSARY: SitePage = { path: '/glossary/', name: 'glossary', title: 'Glossary' };

/**
 * Waits until every visible live demo on the page has loaded its app and filled its inspector. The
 * iframes are loading="lazy", so each demo is scrolled into view first, as a reader scrolling down would.
 * Demos in a hidden tab panel are left alone: see `revealAllTabs`.
 */
export async function settleDemos(page: Page): Promise<void> {
  const demos = page.locator('session-demo');
  const count = await demos.count();
  for (let i = 0; i < count; i++) {
    const demo = demos.nth(i);
    if (!(await demo.isVisible())) continue;
    await demo.locator('iframe[data-part="frame"]').scrollIntoViewIfNeeded();
    await expect(demo.locator('[data-part="state"]')).not.toHaveText(/^Waiting/, { timeout: 20_000 });
    await expect(demo).not.toHaveAttribute('aria-busy', 'true');
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/**
 * Shows every panel of every Starlight <Tabs> at once and settles the demos in them, so one check sees
 * the content a reader would reach by clicking through the tabs. Returns whether anything was hidden.
 */
export async function revealAllTabs(page: Page): Promise<boolean> {
  const revealed = await page.evaluate(() => {
    const hidden = [...document.querySelectorAll<HTMLElement>('starlight-tabs [role="tabpanel"][hidden]')];
    for (const panel of hidden) panel.hidden = false;
    return hidden.length > 0;
  });
  if (revealed) await settleDemos(page);
  return revealed;
}

/** The server-backed store a `/lab/<app>/<store>/…` path needs, if any. */
export function serverStoreOf(path: string): 'postgres' | 'mysql' | 'redis' | null {
  const store = /^\/lab\/[^/]+\/([^/]+)\//.exec(path)?.[1];
  return store === 'postgres' || store === 'mysql' || store === 'redis' ? store : null;
}

export { skipUnless };

/** Every backend a demo's switch can offer: the switch's label and the store's name. */
export const BACKENDS = [
  ['RAM', 'ram'],
  ['Files', 'file'],
  ['Cookie', 'cookie'],
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'postgres'],
  ['MySQL', 'mysql'],
  ['Redis', 'redis'],
] as const;
export type Store = (typeof BACKENDS)[number][1];

/** Skips a test on a store whose server is not running here (a one-line reason); fails under CI=true. */
export async function needsServer(store: string): Promise<void> {
  if (store !== 'postgres' && store !== 'mysql' && store !== 'redis') return;
  const reason = await skipUnless(store);
  test.info().skip(Boolean(reason), String(reason));
}

/** One live demo (`<session-demo>`): its parts, named as a reader sees them. */
export class Demo {
  readonly root: Locator;
  readonly page: Page;

  constructor(page: Page, index = 0) {
    this.page = page;
    this.root = page.locator('session-demo').nth(index);
  }

  /** The demo app inside the iframe. */
  get app() {
    return this.root.frameLocator('iframe[data-part="frame"]');
  }

  /** The counter's number on the page inside the iframe. */
  get count(): Locator {
    return this.app.locator('#count');
  }

  get state(): Locator {
    return this.root.locator('[data-part="state"]');
  }

  /** The sentence each action announces (the polite live region). */
  get live(): Locator {
    return this.root.locator('[data-part="live"]');
  }

  part(name: string): Locator {
    return this.root.locator(`[data-part="${name}"]`);
  }

  button(name: string | RegExp): Locator {
    return this.root.getByRole('button', { name });
  }

  backend(label: string): Locator {
    return this.root.getByRole('radio', { name: label, exact: true });
  }

  /** Scrolls to the demo (its iframe loads lazily) and waits for its first page and inspector. */
  async ready(): Promise<void> {
    await this.root.locator('iframe[data-part="frame"]').scrollIntoViewIfNeeded();
    await expect(this.state).not.toHaveText(/^Waiting/, { timeout: 20_000 });
    await this.idle();
  }

  /** Waits until no button or backend switch is still running. */
  async idle(): Promise<void> {
    await expect(this.root).not.toHaveAttribute('aria-busy', 'true', { timeout: 30_000 });
  }

  /** Presses one of the demo's buttons and waits for it to finish (reload and inspector included). */
  async press(name: string | RegExp): Promise<void> {
    await this.button(name).click();
    await this.idle();
  }

  /** Picks a backend and waits for the demo to load on it. */
  async switchTo(label: string): Promise<void> {
    await this.backend(label).check();
    await this.idle();
  }

  /**
   * Follows the counter's own "Count again" link inside the iframe and waits for the page it leads to,
   * as a reader sees the new page before clicking again. Without the wait, the next click could land on
   * the page being left: the browser then starts a new navigation and cancels the one still on its way,
   * whose request may not have been counted yet (two clicks, one count).
   */
  async countAgain(): Promise<void> {
    const left = await this.app.locator(':root').evaluate((root) => {
      const mark = String(Math.random());
      root.setAttribute('data-test-left', mark);
      return mark;
    });
    await this.clickCountAgain();
    await expect(this.app.locator(`:root[data-test-left="${left}"]`)).toHaveCount(0);
  }

  /** Clicks "Count again" without waiting for its page (for a test that holds the page's answer). */
  async clickCountAgain(): Promise<void> {
    await this.app.getByRole('link', { name: 'Count again' }).click();
  }
}

/**
 * Opens the step page that holds a `<Demo>` (see `findDemo`), shows the tab it sits in if that tab is
 * hidden, as a reader would click it, and waits for the demo to load.
 */
export async function openDemo(
  page: Page,
  props: Record<string, string | number | boolean>,
  chapter?: string,
): Promise<Demo> {
  const { path, index } = findDemo(props, chapter);
  await page.goto(path);
  const demo = new Demo(page, index);
  const tab = await demo.root.evaluate((element) => {
    const panel = element.closest<HTMLElement>('[role="tabpanel"]');
    return panel?.hidden ? panel.getAttribute('aria-labelledby') : null;
  });
  if (tab) await page.locator(`[id="${tab}"]`).click();
  await demo.ready();
  return demo;
}

/**
 * Holds the counter demo's page answers in the browser until the returned function is called: the server
 * has answered (and counted), the frame has not been told yet.
 */
export async function holdDemoPages(page: Page): Promise<() => void> {
  let deliver: () => void = () => {};
  const delivered = new Promise<void>((resolve) => {
    deliver = resolve;
  });
  await page.route('**/lab/counter/**', async (route) => {
    if (!route.request().isNavigationRequest()) return route.continue();
    const response = await route.fetch();
    await delivered;
    await route.fulfill({ response });
  });
  return () => deliver();
}
