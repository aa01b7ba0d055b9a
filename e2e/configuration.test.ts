// Chapter 6's claims about its ram.cfg and file.cfg demos, on every backend the switch offers: a clean
// restart of the server forgets the count on RAM and keeps it on every store outside the process, and the
// inspector shows the store in use and the idle timeout in effect (the default, 60 minutes).
import { DEFAULTS } from '../sandbox/engine/config.ts';
import { BACKENDS, type Demo, expect, needsServer, openDemo, test } from './fixtures.ts';

test.describe.configure({ timeout: 120_000 });

/** Counts once more, restarts the server cleanly, and returns the count before and after. */
async function countThenRestart(demo: Demo): Promise<{ before: number; after: number }> {
  const first = Number(await demo.count.textContent());
  await demo.countAgain();
  await expect(demo.count).toHaveText(String(first + 1));
  await demo.idle();
  await demo.press('Restart server');
  await expect(demo.live).toContainText(/restarted worker #1 cleanly/i);
  return { before: first + 1, after: Number(await demo.count.textContent()) };
}

for (const [label, store] of BACKENDS) {
  test(`ram.cfg demo, ${label}: a restart ${store === 'ram' ? 'forgets the count' : 'keeps the count'}; the inspector shows the store and the timeout`, async ({
    page,
  }) => {
    await needsServer(store);
    const demo = await openDemo(page, { app: 'counter', store: 'ram', controls: "{['restart']}" }, '06');
    if (store !== 'ram') await demo.switchTo(label);
    await expect(demo.part('countdown')).toContainText(`(idle timeout ${DEFAULTS.timeout} min)`);
    if (store === 'ram') await expect(demo.part('stored')).toContainText('a Map in process');
    if (store === 'cookie') await expect(demo.part('stored')).toContainText('in the browser');
    const { before, after } = await countThenRestart(demo);
    if (store === 'ram') {
      expect(after).toBe(1);
      await expect(demo.live).toContainText('the id was rejected (unknown), so a fresh session began');
    } else {
      expect(after).toBe(before + 1);
      // The notice compares the session before the restart with what the new process found.
      await expect(demo.live).toContainText(
        store === 'cookie'
          ? `data cookie and it opened as it was (pageViews ${before}): the session survived`
          : `store still had the session as it was (pageViews ${before}): it survived`,
      );
    }
  });
}

test('file.cfg demo: a restart keeps the count, in a file', async ({ page }) => {
  const demo = await openDemo(page, { app: 'counter', store: 'file', controls: "{['restart']}" }, '06');
  await expect(demo.backend('Files')).toBeChecked();
  await expect(demo.part('countdown')).toContainText(`(idle timeout ${DEFAULTS.timeout} min)`);
  await expect(demo.part('stored')).not.toContainText('a Map in process');
  const { before, after } = await countThenRestart(demo);
  expect(after).toBe(before + 1);
  await expect(demo.live).toContainText(
    `store still had the session as it was (pageViews ${before}): it survived`,
  );
});
