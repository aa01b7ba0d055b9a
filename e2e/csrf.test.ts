// Chapter 11's CSRF demo on every backend: alice signs in to the login demo, then presses the other
// site's button. With the engine's cross-site check off, another port of the lab (same site) changes her
// email and a sandboxed frame (cross-site) arrives signed out; with the check on, both get a 403 naming
// the Sec-Fetch-Site the browser sent, and the email stays.
import type { Page } from '@playwright/test';
import { DEMO_USERS } from '../lessons/11-security/login-accounts.ts';
import { ATTACKER_EMAIL } from '../site/lib/lab/other-site.ts';
import { BACKENDS, type Demo, expect, needsServer, openDemo, test } from './fixtures.ts';

const UNSAFE = { app: 'login', unsafe: "{['no-cross-site-check']}", otherSite: true };
const SAFE = { app: 'login', otherSite: true, title: 'Login, cross-site check on' };
const ALICE = DEMO_USERS.alice;

async function signIn(demo: Demo): Promise<void> {
  await demo.app.getByLabel('Username').fill('alice');
  await demo.app.getByLabel('Password', { exact: true }).fill(ALICE.password);
  await demo.app.getByRole('button', { name: 'Sign in' }).click();
  await expect(demo.app.locator('#email')).toHaveText(ALICE.email);
  await demo.idle();
}

/** Picks the kind of other site, presses its button, and returns the status of the forged POST. */
async function claimPrize(page: Page, demo: Demo, kind: RegExp): Promise<number> {
  await demo.root.getByRole('radio', { name: kind }).check();
  const other = demo.root.frameLocator('iframe[data-part="other-site"]');
  const button = other.getByRole('button', { name: 'Claim your prize' });
  await expect(button).toBeVisible();
  const [answer] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/email'),
    ),
    button.click(),
  ]);
  return answer.status();
}

/** The email on the demo's own account page, as the reader sees it after following "Your account". */
async function emailInDemo(demo: Demo): Promise<string> {
  await demo.app.getByRole('link', { name: 'Your account' }).click();
  const field = demo.app.getByLabel('Email', { exact: true });
  await expect(field).toBeVisible();
  return field.inputValue();
}

for (const [label, store] of BACKENDS) {
  test(`CSRF on ${label}, check off: a sandboxed frame arrives signed out, another port changes the email`, async ({
    page,
  }) => {
    await needsServer(store);
    const demo = await openDemo(page, UNSAFE, '11');
    await expect(demo.root).toContainText('no-cross-site-check');
    await demo.switchTo(label);
    await signIn(demo);
    const other = demo.root.frameLocator('iframe[data-part="other-site"]');

    // Cross-site: SameSite=Lax kept the cookie off, so the forged POST was signed out and changed nothing.
    expect(await claimPrize(page, demo, /sandboxed frame/)).toBe(401);
    await expect(other.getByRole('heading', { level: 1 })).toHaveText('Signed out');
    await expect(other.getByText('Sign in first')).toBeVisible();

    // Same site: the cookie went along and, with the check off, the email changed.
    expect(await claimPrize(page, demo, /Another port/)).toBe(303);
    await expect(other.getByRole('heading', { level: 1 })).toContainText('Account of alice');
    await expect(other.getByLabel('Email', { exact: true })).toHaveValue(ATTACKER_EMAIL);
    expect(await emailInDemo(demo)).toBe(ATTACKER_EMAIL);
  });

  test(`CSRF on ${label}, check on: both kinds get a 403 naming Sec-Fetch-Site, the email stays`, async ({
    page,
  }) => {
    await needsServer(store);
    const demo = await openDemo(page, SAFE, '11');
    await expect(demo.root).not.toContainText('no-cross-site-check');
    await demo.switchTo(label);
    await signIn(demo);
    const other = demo.root.frameLocator('iframe[data-part="other-site"]');
    for (const [kind, evidence] of [
      [/Another port/, 'same-site'],
      [/sandboxed frame/, 'cross-site'],
    ] as const) {
      expect(await claimPrize(page, demo, kind)).toBe(403);
      await expect(other.getByRole('heading', { level: 1 })).toHaveText(
        'Refused: this request came from another site',
      );
      await expect(other.getByRole('alert')).toContainText(`(Sec-Fetch-Site: ${evidence})`);
    }
    expect(await emailInDemo(demo)).toBe(ALICE.email);
  });
}
