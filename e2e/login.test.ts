// Chapter 11's "Signing in and out", on every backend the demo's switch offers: the first look starts a
// session; a wrong password is refused without saying which field was wrong; sign-in (with remember me)
// gives the session a new id and `user` (the data kept); the account page lists this session, when the
// sign-in ends, this browser's token with its Revoke button and the stored account with a salted scrypt
// hash (on the cookie backend, that the others cannot be ended); sign-out leaves no id and no token, the
// old id has no record, and no Clear-Site-Data reaches these pages.
import type { Page } from '@playwright/test';
import { BACKENDS, Demo, expect, needsServer, STEPS, test } from './fixtures.ts';

/** The step itself: other steps of chapter 11 hold login demos too, with their flaws switched on. */
const STEP = STEPS.find((step) => step.path === '/11-security/signing-in/');

const MASKED = /Your id \(masked\)\s*([A-Za-z0-9_-]{6}…[A-Za-z0-9_-]{2})/;

async function maskedId(demo: Demo): Promise<string> {
  await expect(demo.part('stored')).toContainText(MASKED);
  return MASKED.exec((await demo.part('stored').textContent()) ?? '')?.[1] ?? '';
}

/** The demo's `_inspect` answer for a session cookie value, as the browser would ask with it. */
async function inspectWith(page: Page, store: string, id: string) {
  const response = await page.request.get(`/lab/login/${store}/std/_inspect`, {
    headers: { cookie: `session_lab_id=${id}` },
  });
  return (await response.json()) as { live: boolean; data: unknown };
}

for (const [label, store] of BACKENDS) {
  test(`login, ${label}: new id at sign-in with user, this session on the account page, no record after sign-out`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    expect(STEP, 'the step signing-in.mdx').toBeTruthy();
    await page.goto(STEP?.path ?? '');
    const demo = new Demo(page);
    await expect(demo.root).toHaveAttribute('data-app', 'login');
    await demo.ready();
    if (label !== 'RAM') await demo.switchTo(label);
    const before = await maskedId(demo);
    await expect(demo.part('stored')).toContainText('"arrivedAt"');

    await demo.app.getByLabel('Username').fill('alice');
    await demo.app.getByLabel('Password').fill('builder');
    await demo.app.getByRole('button', { name: 'Sign in' }).click();
    await expect(demo.app.getByText('Wrong username or password.')).toBeVisible();
    await demo.app.getByLabel('Username').fill('alice');
    await demo.app.getByLabel('Password').fill('wonderland');
    await demo.app.getByLabel('Remember me').check();
    await demo.app.getByRole('button', { name: 'Sign in' }).click();
    await expect(demo.app.getByText('Signed in as alice')).toBeVisible();
    await expect(demo.part('stored')).toContainText('"user": "alice"');
    const after = await maskedId(demo);
    expect(after).not.toBe(before);
    await expect(demo.part('stored')).toContainText('"arrivedAt"');
    const cookie = (await context.cookies()).find(
      (each) => each.name === 'session_lab_id' && each.path.startsWith(`/lab/login/${store}/`),
    );
    expect(cookie?.value).toBeTruthy();

    await demo.app.getByRole('link', { name: 'Your account' }).click();
    await expect(demo.app.getByText('(this one)')).toBeVisible();
    await expect(demo.app.getByText(/Signed in until .* at the latest/)).toBeVisible();
    await expect(demo.app.getByText('(this browser)')).toBeVisible();
    await expect(demo.app.getByRole('button', { name: 'Revoke' })).toHaveCount(1);
    await expect(demo.app.locator('#stored')).toContainText(/scrypt\$16384\$8\$5\$/);
    const cannot = demo.app.getByText('the server cannot end the sessions listed here');
    if (store === 'cookie') await expect(cannot).toBeVisible();
    else await expect(cannot).toHaveCount(0);
    await demo.app.getByRole('link', { name: 'Back to the private page' }).click();

    const signOut = page.waitForResponse((response) => response.url().endsWith('/sign-out'));
    await demo.app.getByRole('button', { name: 'Sign out', exact: true }).click();
    expect((await signOut).headers()['clear-site-data']).toBeUndefined();
    await expect(demo.app.getByText('You are signed out')).toBeVisible();
    await expect(demo.part('stored')).toContainText('No session id reached the server');
    const old = await inspectWith(page, store, cookie?.value ?? '');
    expect(old.live).toBe(false);
    expect(old.data).toBeNull();
    const left = (await context.cookies()).filter(
      (each) => each.name.startsWith('session_lab_id') && each.path.startsWith(`/lab/login/${store}/`),
    );
    expect(left).toEqual([]);
  });
}
