// Chapter 5's four write policies, restarted and crashed on every backend each demo offers (issue 12
// §2): the notice after Restart server and Crash it (kill -9) compares the count before with what the
// new process found, and says what survived and what was lost, as the chapter's table predicts. Under
// `interval` the store panel turns from "not yet in" to written by itself after the flush.
import { Demo, expect, needsServer, type Store, test } from './fixtures.ts';

/** Every backend, the demo's own (Files) first. */
const BACKENDS = [
  ['Files', 'file'],
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'postgres'],
  ['MySQL', 'mysql'],
  ['Redis', 'redis'],
  ['RAM', 'ram'],
  ['Cookie', 'cookie'],
] as const;

const POLICIES = ['on-change', 'always', 'interval', 'on-shutdown'] as const;
type Policy = (typeof POLICIES)[number];

/** A buffered policy needs a store behind its RAM: RAM and the cookie are refused at start-up. */
const runs = (policy: Policy, store: Store) =>
  !((policy === 'interval' || policy === 'on-shutdown') && (store === 'ram' || store === 'cookie'));

/** Chapter 5, the policy's tab, its demo on `label`, counting from 1. */
async function open(page: Demo['page'], policy: Policy, label: string): Promise<Demo> {
  await page.goto('/05-mixed-strategies/restart-or-kill/');
  await page.getByRole('tab', { name: policy, exact: true }).click();
  const demo = new Demo(page, POLICIES.indexOf(policy));
  await demo.ready();
  if (label !== 'Files') await demo.switchTo(label);
  await expect(demo.count).toHaveText('1');
  return demo;
}

async function countTo(demo: Demo, n: number): Promise<void> {
  const now = Number(await demo.count.textContent());
  for (let i = now; i < n; i++) {
    await demo.countAgain();
    await expect(demo.count).toHaveText(String(i + 1));
  }
  await demo.idle();
  await expect(demo.part('stored')).toContainText(`"pageViews": ${n}`);
}

const survived = (n: number) => new RegExp(`as it was \\(pageViews ${n}\\).*survived`);
const allLost = (n: number) => `no copy of the session: everything in it (pageViews ${n}) was lost`;

async function crash(demo: Demo): Promise<void> {
  await demo.press('Crash it (kill -9)');
  await expect(demo.live).toContainText('The site started a new process.');
}

for (const policy of ['on-change', 'always'] as const) {
  for (const [label, store] of BACKENDS) {
    const keeps = store !== 'ram'; // a RAM store lives and dies with its process
    test(`${policy} on ${label}: a restart and a kill -9 ${keeps ? 'keep every count' : 'lose the count'}, and the notice says so`, async ({
      page,
    }) => {
      await needsServer(store);
      const demo = await open(page, policy, label);
      await countTo(demo, 3);
      await demo.press('Restart server');
      await expect(demo.live).toContainText(/restarted worker #1 cleanly/i);
      await expect(demo.live).toContainText(keeps ? survived(3) : allLost(3));
      await expect(demo.count).toHaveText(keeps ? '4' : '1');

      await countTo(demo, keeps ? 5 : 2);
      await crash(demo);
      await expect(demo.live).toContainText(keeps ? survived(5) : allLost(2));
      await expect(demo.live).not.toContainText(keeps ? 'lost' : 'survived');
      await expect(demo.count).toHaveText(keeps ? '6' : '1');
    });
  }
}

for (const [label, store] of BACKENDS.filter(([, store]) => runs('on-shutdown', store))) {
  test(`on-shutdown on ${label}: kill -9 loses every count since the last clean stop, and the notice counts them`, async ({
    page,
  }) => {
    await needsServer(store);
    const demo = await open(page, 'on-shutdown', label);
    await countTo(demo, 2);
    await expect(demo.part('stored')).toContainText('written at shutdown');
    // Never stopped cleanly since the first click: the store holds nothing, the count starts again.
    await crash(demo);
    await expect(demo.live).toContainText(allLost(2));
    await expect(demo.live).not.toContainText('survived');
    await expect(demo.count).toHaveText('1');

    await countTo(demo, 2);
    await demo.press('Restart server');
    await expect(demo.live).toContainText(survived(2));
    await expect(demo.count).toHaveText('3');
    await countTo(demo, 4);
    await crash(demo);
    await expect(demo.live).toContainText(
      'had only an older copy of the session (pageViews 2, not pageViews 4): pageViews fell from 4 to 2: 2 updates were lost.',
    );
    await expect(demo.live).not.toContainText('survived');
    await expect(demo.count).toHaveText('3');
  });
}

for (const [label, store] of BACKENDS.filter(([, store]) => runs('interval', store))) {
  test(`interval on ${label}: the panel turns to written after the flush by itself; a kill loses only what came after it`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await needsServer(store);
    const demo = await open(page, 'interval', label);
    const stored = demo.part('stored');
    const written = '"changesInRam": "written"';
    // Wait for a flush first, so the next click lands early in the 5 s before the one after it.
    await expect(stored).toContainText(written, { timeout: 7_000 });
    // Right after the click the count is only in RAM; within the 5 s flush (and a second) the panel
    // shows it written, with no click.
    await countTo(demo, 2);
    await expect(stored).toContainText('written within 5 s');
    await expect(stored).toContainText(written, { timeout: 6_000 });

    // One more click, then the kill at once, inside the 5 s before the next flush: that click is lost.
    // On a busy machine the flush can win the race; the notice must then say it survived, and the
    // test tries again (three times at most) until it sees the loss.
    let lost = false;
    for (let attempt = 0; attempt < 3 && !lost; attempt++) {
      await expect(stored).toContainText(written, { timeout: 7_000 });
      const n = Number(await demo.count.textContent());
      await countTo(demo, n + 1);
      await crash(demo);
      await expect(demo.live).toContainText(/older copy|survived/);
      lost = (await demo.live.textContent())?.includes('older copy') ?? false;
      await expect(demo.live).toContainText(
        lost
          ? `had only an older copy of the session (pageViews ${n}, not pageViews ${n + 1}): pageViews fell from ${n + 1} to ${n}: 1 update was lost.`
          : `as it was (pageViews ${n + 1}): it survived.`,
      );
      await expect(demo.count).toHaveText(String(lost ? n + 1 : n + 2));
    }
    expect(lost, 'a kill right after a click lost that click').toBe(true);

    // After a flush, a kill loses nothing; a clean restart flushes first, so it loses nothing either.
    await expect(stored).toContainText(written, { timeout: 6_000 });
    const n = Number(await demo.count.textContent());
    await crash(demo);
    await expect(demo.live).toContainText(survived(n));
    await expect(demo.count).toHaveText(String(n + 1));
    await countTo(demo, n + 2);
    await demo.press('Restart server');
    await expect(demo.live).toContainText(survived(n + 2));
    await expect(demo.count).toHaveText(String(n + 3));
  });
}
