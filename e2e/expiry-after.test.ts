// Chapter 9's claims about what happens after its counter's 30-second idle timeout, on every backend the
// switch offers: the count starts again at 1 under a new id, and the inspector says why the old id was
// refused, expired or unknown (always unknown on Redis, which never returns a key past its expiry).
import { BACKENDS, expect, needsServer, openDemo, test } from './fixtures.ts';

const ID = 'session_lab_id';

// Each test waits out a 30 s timeout on a machine shared with other suites.
test.describe.configure({ timeout: 150_000 });

for (const [label, store] of BACKENDS) {
  test(`${label}: after the timeout, a click counts 1 under a new id, and the inspector says why`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    const demo = await openDemo(page, { app: 'counter', timeout: 0.5 }, '09');
    if (store !== 'ram') await demo.switchTo(label);
    await demo.countAgain();
    await expect(demo.count).toHaveText('2');
    await demo.idle();
    const idOf = async () =>
      (await context.cookies()).find((c) => c.name === ID && c.path.startsWith(`/lab/counter/${store}/`))
        ?.value;
    const before = await idOf();
    expect(before).toBeTruthy();
    // The countdown reaches its end on the server's clock; nothing is clicked meanwhile.
    await expect(demo.part('countdown')).toContainText('expired: the next request starts a new session', {
      timeout: 60_000,
    });
    await demo.countAgain();
    await expect(demo.count).toHaveText('1');
    await demo.idle();
    await expect(demo.part('exchange')).toContainText(
      store === 'redis' ? 'rejected: unknown' : /rejected: (expired|unknown)/,
    );
    expect(await idOf()).not.toBe(before);
  });
}
