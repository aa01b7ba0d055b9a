// Chapter 11's fixation and stolen-id demos on every backend they offer: each attack succeeds with its
// flaws switched on and fails with them off, and the panel says why at each step.
import { DEMO_USERS } from '../lessons/11-security/login-accounts.ts';
import { BACKENDS, type Demo, expect, needsServer, openDemo, test } from './fixtures.ts';

const FIXATION_UNSAFE = {
  app: 'login',
  attack: 'fixation',
  unsafe: "{['adopt-client-ids', 'keep-id-at-sign-in']}",
};
const FIXATION_SAFE = { app: 'login', attack: 'fixation', title: 'Login, fixation defences on' };
const STOLEN_UNSAFE = { app: 'login', attack: 'stolen-id', unsafe: "{['script-readable-cookie']}" };
const STOLEN_SAFE = { app: 'login', attack: 'stolen-id', title: 'Login, HttpOnly on' };

const note = (demo: Demo, step: string) =>
  demo.root.locator(`[data-part="attack-note"][data-step="${step}"]`);
const attacker = (demo: Demo) => demo.root.frameLocator('iframe[data-part="attacker-frame"]');

async function signIn(demo: Demo): Promise<void> {
  await demo.app.getByLabel('Username').fill('alice');
  await demo.app.getByLabel('Password', { exact: true }).fill(DEMO_USERS.alice.password);
  await demo.app.getByRole('button', { name: 'Sign in' }).click();
  await expect(demo.app.getByText('Signed in as alice')).toBeVisible();
  await demo.idle();
}

/** Invents an id and opens the planted link in the victim's frame (the demo's own). */
async function plant(demo: Demo): Promise<void> {
  await demo.button('Invent an id').click();
  await expect(note(demo, 'invent')).toContainText('The planted link:');
  // Shortened like every id the site shows: no whole id printed on the page.
  await expect(note(demo, 'invent')).not.toHaveText(/[\w-]{43}/);
  await demo.button("Open the planted link in the victim's frame").click();
  await expect(note(demo, 'plant')).not.toBeEmpty();
}

// The URL transport: the cookie store, which needs cookies, is not offered.
for (const [label, store] of BACKENDS.filter(([, store]) => store !== 'cookie')) {
  test(`fixation on ${label}: works with ids adopted and kept, fails with strict ids and regenerate`, async ({
    page,
  }) => {
    await needsServer(store);
    const unsafe = await openDemo(page, FIXATION_UNSAFE, '11');
    await expect(unsafe.part('unsafe')).toContainText('adopt-client-ids, keep-id-at-sign-in');
    await unsafe.switchTo(label);
    await plant(unsafe);
    await expect(note(unsafe, 'plant')).toContainText('adopted it');
    await expect(unsafe.part('exchange')).toContainText('adopted (unsafe on purpose)');
    await signIn(unsafe);
    await expect(note(unsafe, 'sign-in')).toContainText('still goes by the planted id');
    await unsafe.button("Open the planted link in the attacker's frame").click();
    await expect(attacker(unsafe).getByText('Signed in as alice')).toBeVisible();
    await expect(note(unsafe, 'use')).toContainText('is signed in as alice: the attack worked');

    const safe = await openDemo(page, FIXATION_SAFE, '11');
    await expect(safe.part('unsafe')).toHaveCount(0);
    await safe.switchTo(label);
    await plant(safe);
    await expect(note(safe, 'plant')).toContainText('refused');
    await expect(note(safe, 'plant')).toContainText('(rejected: unknown)');
    await expect(note(safe, 'plant')).toContainText('do not carry the planted id');
    await signIn(safe);
    await expect(note(safe, 'sign-in')).toContainText('changed the id at sign-in');
    await safe.button("Open the planted link in the attacker's frame").click();
    await expect(note(safe, 'use')).toContainText('is signed out: the attack failed');
    await expect(attacker(safe).getByRole('button', { name: 'Sign in' })).toBeVisible();

    // A real id, which strict mode accepts: only the new id at sign-in stops it.
    await safe.button("Take the id the server gave the attacker's frame").click();
    await expect(note(safe, 'invent')).toContainText('an id the server issued');
    await safe.button("Open the planted link in the victim's frame").click();
    await expect(note(safe, 'plant')).toContainText('The server knew');
    await signIn(safe);
    await expect(note(safe, 'sign-in')).toContainText('changed the id at sign-in');
    await safe.button("Open the planted link in the attacker's frame").click();
    await expect(note(safe, 'use')).toContainText('is signed out: the attack failed');
  });
}

for (const [label, store] of BACKENDS) {
  test(`stolen id on ${label}: replayed without HttpOnly, nothing to read with it`, async ({ page }) => {
    await needsServer(store);
    const unsafe = await openDemo(page, STOLEN_UNSAFE, '11');
    await expect(unsafe.part('unsafe')).toContainText('script-readable-cookie');
    await unsafe.switchTo(label);
    await signIn(unsafe);
    await unsafe.button('Run the script').click();
    await expect(note(unsafe, 'read')).toContainText('The script found session_lab_id =');
    await unsafe.button("Send the id from the attacker's browser").click();
    await expect(attacker(unsafe).getByText('Signed in as alice')).toBeVisible();
    await expect(note(unsafe, 'replay')).toContainText('is signed in as alice');

    const safe = await openDemo(page, STOLEN_SAFE, '11');
    await safe.switchTo(label);
    await signIn(safe);
    await safe.button('Run the script').click();
    await expect(note(safe, 'read')).toContainText('The script found no session id');
    await expect(safe.button("Send the id from the attacker's browser")).toBeDisabled();
  });
}
