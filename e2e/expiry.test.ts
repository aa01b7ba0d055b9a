// Chapter 9's counter (its cleaning-up step) with a 30-second idle timeout: the inspector's countdown to `expiresAt`.
import { Demo, expect, test } from './fixtures.ts';

test('a 30 s session counts down from 0:30 at most, after the first page and after a click', async ({
  page,
}) => {
  await page.goto('/09-expiry/cleaning-up/');
  const demo = new Demo(page);
  await demo.ready();
  const countdown = demo.part('countdown');
  await expect(countdown).toContainText('idle timeout 30 s');
  // Every text the countdown shows from here on, including the first one drawn after the click.
  await countdown.evaluate((element) => {
    const seen: string[] = [element.textContent ?? ''];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => seen.push(element.textContent ?? '')).observe(element, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  await demo.countAgain();
  await expect(demo.count).toHaveText('2');
  await demo.idle();
  await page.waitForTimeout(1_500); // a tick or two of the clock
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const shown = seen.map((text) => /expires in 0:(\d\d)/.exec(text)?.[1]).filter((s) => s !== undefined);
  expect(shown.length, `countdown texts: ${seen.join(' | ')}`).toBeGreaterThan(1);
  for (const seconds of shown)
    expect(Number(seconds), `countdown texts: ${seen.join(' | ')}`).toBeLessThanOrEqual(30);
});
