// Chapter 12's claims about its two-worker counter, on every backend the switch offers: the pages are
// served by two processes in turn, and the inspector names them by pid; on RAM the count stays at 1 and
// the id changes with every click; on a store outside the workers' memory the count climbs under one id,
// whichever worker answers, and after one worker is crashed (kill -9) the count carries on.
import type { BrowserContext, Page } from '@playwright/test';
import { BACKENDS, type Demo, expect, needsServer, openDemo, type Store, test } from './fixtures.ts';

const ID = 'session_lab_id';

// Two worker processes start per backend on a machine shared with other suites: generous timeouts.
test.describe.configure({ timeout: 150_000 });

/** The pid (x-session-lab-worker) of every demo page the frame loads for this store, in order. */
function watchWorkers(page: Page, store: Store): string[] {
  const pids: string[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || !request.url().includes(`/lab/counter/${store}/`)) return;
    const pid = response.headers()['x-session-lab-worker'];
    if (pid && response.status() === 200) pids.push(pid);
  });
  return pids;
}

/** The session id the browser holds for this demo's store. */
async function heldId(context: BrowserContext, store: Store): Promise<string | undefined> {
  const cookies = await context.cookies();
  return cookies.find((c) => c.name === ID && c.path.startsWith(`/lab/counter/${store}/`))?.value;
}

/** Follows "Count again" and waits until the page it brought has loaded and been inspected. */
async function click(demo: Demo, pids: string[]): Promise<void> {
  const served = pids.length;
  await demo.countAgain();
  await expect.poll(() => pids.length, { timeout: 30_000 }).toBeGreaterThan(served);
  await demo.idle();
}

async function open(page: Page, label: string, store: Store): Promise<{ demo: Demo; pids: string[] }> {
  const pids = watchWorkers(page, store);
  const demo = await openDemo(page, { app: 'counter', workers: 2 });
  if (store !== 'ram') await demo.switchTo(label);
  await expect.poll(() => pids.length, { timeout: 30_000 }).toBeGreaterThan(0);
  await demo.idle();
  return { demo, pids };
}

for (const [label, store] of BACKENDS) {
  const shared = store !== 'ram';
  test(`${label}: two workers take turns, named by pid in the inspector, and ${
    shared ? 'the count climbs under one id' : 'the count stays at 1 with a new id each click'
  }`, async ({ page, context }) => {
    await needsServer(store);
    const { demo, pids } = await open(page, label, store);
    const counts = [Number(await demo.count.textContent())];
    const ids = [await heldId(context, store)];
    for (let i = 0; i < 2; i++) {
      await click(demo, pids);
      counts.push(Number(await demo.count.textContent()));
      ids.push(await heldId(context, store));
    }
    // Round robin: consecutive pages come from different processes, two in all.
    const served = pids.slice(-3);
    expect(new Set(served).size).toBe(2);
    expect(served[0]).not.toBe(served[1]);
    expect(served[1]).not.toBe(served[2]);
    // The inspector names a worker that served the pages, and lists both processes by pid.
    await expect(demo.part('worker')).toHaveText(/^answered by pid \d+$/);
    expect(served).toContain((await demo.part('worker').textContent())?.replace('answered by pid ', ''));
    for (const pid of new Set(served)) await expect(demo.part('processes')).toContainText(`pid ${pid} ready`);
    if (shared) {
      expect(counts).toEqual([counts[0], (counts[0] ?? 0) + 1, (counts[0] ?? 0) + 2]);
      expect(new Set(ids).size).toBe(1);
    } else {
      expect(counts).toEqual([1, 1, 1]);
      expect(new Set(ids).size).toBe(3);
    }
  });

  if (!shared) continue;
  test(`${label}: after one worker is crashed (kill -9), the count carries on where it was`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    const { demo, pids } = await open(page, label, store);
    await click(demo, pids);
    const before = Number(await demo.count.textContent());
    const id = await heldId(context, store);
    await demo.button('Crash it (kill -9)').click();
    await expect(demo.live).toContainText('The site started a new process.', { timeout: 60_000 });
    await demo.idle();
    // The reloads after the crash reached whichever worker was up: none of them lost the session.
    const after = Number(await demo.count.textContent());
    expect(after).toBeGreaterThan(before);
    await click(demo, pids);
    await expect(demo.count).toHaveText(String(after + 1));
    expect(await heldId(context, store)).toBe(id);
  });
}
