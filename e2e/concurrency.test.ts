// Chapter 10's claims about its slow-counter demos, on every backend the switch offers: with locking off,
// "Fire 20 parallel requests" loses updates; with locking on, none are lost, except on the cookie store,
// where the state travels with each request and "counts go missing anyway".
import { BACKENDS, type Demo, expect, needsServer, openDemo, test } from './fixtures.ts';

// A burst plus page loads on a machine shared with other suites: generous, the waits inside are deterministic.
test.describe.configure({ timeout: 120_000 });

const BURST = 20;
/** The burst, plus the reload after it that shows the result (the demo counts that page too). */
const REQUESTS = BURST + 1;

/** Fires the burst and returns how far the page's count moved, once the demo has announced the result. */
async function burst(demo: Demo): Promise<{ before: number; added: number }> {
  const before = Number(await demo.count.textContent());
  expect(before).toBeGreaterThan(0); // the first page made the session all requests share
  await demo.button(`Fire ${BURST} parallel requests`).click();
  await expect(demo.live).toContainText(`Sent ${BURST} requests at once`, { timeout: 45_000 });
  await demo.idle();
  const after = Number(await demo.count.textContent());
  return { before, added: after - before };
}

for (const [label, store] of BACKENDS) {
  test(`locking = none, ${label}: 20 parallel requests lose updates, and the demo says how many`, async ({
    page,
  }) => {
    await needsServer(store);
    const demo = await openDemo(page, { app: 'slow-counter', locking: 'none' });
    if (store !== 'ram') await demo.switchTo(label);
    const { before, added } = await burst(demo);
    // The session survived (the count went up) but moved by fewer than the requests that reached it.
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThan(REQUESTS);
    const lost = REQUESTS - added;
    await expect(demo.live).toContainText(
      `pageViews went ${before} → ${before + added}: +${added} for ${REQUESTS} requests, so ${lost} update${lost === 1 ? ' was' : 's were'} lost.`,
    );
    await expect(demo.live).toContainText(`${BURST} × 200`);
  });

  const lockable = store !== 'cookie';
  test(`locking = auto, ${label}: ${
    lockable ? 'the count moves by exactly 20 (plus the reload), none lost' : 'counts go missing anyway'
  }`, async ({ page }) => {
    await needsServer(store);
    const demo = await openDemo(page, { app: 'slow-counter', locking: 'auto' });
    if (store !== 'ram') await demo.switchTo(label);
    const { before, added } = await burst(demo);
    await expect(demo.live).toContainText(`${BURST} × 200`);
    if (lockable) {
      expect(added).toBe(REQUESTS);
      await expect(demo.live).toContainText(
        `pageViews went ${before} → ${before + REQUESTS} (+${REQUESTS} for ${REQUESTS} requests).`,
      );
      await expect(demo.live).not.toContainText('lost');
    } else {
      // Every request carried the same data cookie, so each computed "old count + 1" from its own copy.
      expect(added).toBeGreaterThan(0);
      expect(added).toBeLessThan(REQUESTS);
      await expect(demo.live).toContainText(`${REQUESTS - added} updates were lost`);
    }
  });
}
