// The demo frame is as tall as the page in it (issue 12 §2): chapter 8's live `session_data` table and
// the note's textarea are never cut by the frame's edge, on a phone's width and a desktop's, on every
// backend the chapter offers, and the frame follows the page when the table grows; chapter 11's attacker
// frame is sized to its page the same way.
import type { Locator } from '@playwright/test';
import { Demo, expect, openDemo, skipUnless, test } from './fixtures.ts';

const TABS = [
  ['Your functions (SQLite)', null],
  ['SQLite', null],
  ['PostgreSQL', 'postgres'],
  ['MySQL', 'mysql'],
] as const;

/** How far the page in the frame reaches past the frame's edges, and the parts a reader must see. */
function clipped(frame: Locator) {
  return frame.evaluate((element: HTMLIFrameElement) => {
    const doc = element.contentDocument;
    if (!doc?.querySelector('table') || !doc.querySelector('textarea')) return 'page not there yet';
    const root = doc.documentElement;
    const view = doc.defaultView as Window;
    const outside = (selector: string) => {
      const box = (doc.querySelector(selector) as Element).getBoundingClientRect();
      return box.top < 0 || box.left < 0 || box.bottom > view.innerHeight || box.right > view.innerWidth;
    };
    return {
      below: root.scrollHeight - root.clientHeight,
      beside: root.scrollWidth - root.clientWidth,
      tableCut: outside('table'),
      textareaCut: outside('textarea'),
    };
  });
}

const WHOLE = { below: 0, beside: 0, tableCut: false, textareaCut: false };

for (const width of [375, 1280]) {
  for (const [tab, server] of TABS) {
    test(`chapter 8 at ${width} px, ${tab}: the table and the note fit in the frame, before and after a long note`, async ({
      page,
    }) => {
      if (server) {
        const reason = await skipUnless(server);
        test.info().skip(Boolean(reason), String(reason));
      }
      await page.setViewportSize({ width, height: 800 });
      await page.goto('/08-your-own-storage/the-fixed-version/');
      await page.getByRole('tab', { name: tab, exact: true }).click();
      const demo = new Demo(
        page,
        TABS.findIndex(([label]) => label === tab),
      );
      await demo.ready();
      const frame = demo.root.locator('iframe[data-part="frame"]');
      await expect.poll(() => clipped(frame)).toEqual(WHOLE);

      // A long note makes the reader's row of the table taller: the frame grows with it.
      const heightBefore = (await frame.boundingBox())?.height ?? 0;
      const note = 'a long note that wraps over several lines of the table '.repeat(3).trim();
      await demo.app.getByLabel(/Your note/).fill(note);
      await demo.app.getByRole('button', { name: 'Save note' }).click();
      await expect(demo.app.getByText('Your note: ')).toContainText(note);
      await demo.idle();
      await expect.poll(() => clipped(frame)).toEqual(WHOLE);
      expect((await frame.boundingBox())?.height ?? 0).toBeGreaterThan(heightBefore);
    });
  }
}

test("chapter 11 at 375 px: the attacker's frame beside the fixation demo is as tall as its page", async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  const demo = await openDemo(page, { app: 'login', title: 'Login, fixation defences off' }, '11');
  const attacker = demo.root.locator('iframe[data-part="attacker-frame"]');
  await attacker.scrollIntoViewIfNeeded();
  await expect(attacker.contentFrame().getByRole('button', { name: 'Sign in' })).toBeAttached();
  await expect
    .poll(() =>
      attacker.evaluate((element: HTMLIFrameElement) => {
        const root = element.contentDocument?.documentElement;
        return root ? root.scrollHeight - root.clientHeight : 'page not there yet';
      }),
    )
    .toBe(0);
});
