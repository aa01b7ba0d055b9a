// Chapter 3's claims about its three transports, on every backend each demo's switch offers: the cookie
// carries the id with no link changed; the URL transport puts the id in the address and every link, sends
// Referrer-Policy: no-referrer and needs no cookie; the hidden field loses the visitor at the 303 after
// saving a name, and in the db-store app the count climbs with each form and starts over after a plain link
// or a link that carries the id in its address (the hidden field is read from a POST body only).
import type { BrowserContext, Frame, Page } from '@playwright/test';
import { BACKENDS, type Demo, expect, needsServer, openDemo, test } from './fixtures.ts';

/** The cookie store carries the session in a cookie: the demo offers it with the cookie transport only. */
const IN_PAGE = BACKENDS.filter(([, store]) => store !== 'cookie');
const DB_STORE = [
  ['Custom functions', 'custom'],
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'postgres'],
  ['MySQL', 'mysql'],
] as const;

const ID = 'session_lab_id';
/** An id as the engine makes it: 32 random bytes in base64url. */
const AN_ID = /^[A-Za-z0-9_-]{43}$/;

test.describe.configure({ timeout: 120_000 });

async function open(page: Page, props: Record<string, string>, label: string): Promise<Demo> {
  const demo = await openDemo(page, props, '03');
  if (label !== 'RAM' && label !== 'Custom functions') await demo.switchTo(label);
  return demo;
}

/** The demo's iframe as a Playwright frame, to read its address. */
async function frameOf(demo: Demo): Promise<Frame> {
  const frame = await (await demo.root.locator('iframe').elementHandle())?.contentFrame();
  if (!frame) throw new Error('the demo has no frame');
  return frame;
}

async function idCookies(context: BrowserContext, app: string, store: string) {
  return (await context.cookies()).filter((c) => c.name === ID && c.path.startsWith(`/lab/${app}/${store}/`));
}

async function saveName(demo: Demo, first: string, last: string): Promise<void> {
  await demo.app.getByLabel('First name').fill(first);
  await demo.app.getByLabel('Last name').fill(last);
  await demo.app.getByRole('button', { name: 'Save my name' }).click();
}

for (const [label, store] of BACKENDS) {
  test(`cookie, ${label}: the id travels in a cookie, and no link or address carries it`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    const demo = await open(page, { app: 'name-form', transport: 'cookie' }, label);
    await saveName(demo, 'Ada', 'Lovelace');
    await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello Ada Lovelace');
    const page3 = demo.app.getByRole('link', { name: 'Go to page 3' });
    expect(await page3.getAttribute('href')).not.toContain(ID);
    await page3.click();
    await expect(demo.app.getByText('Still here, Ada?')).toBeVisible();
    expect((await frameOf(demo)).url()).not.toContain(ID);
    const held = await idCookies(context, 'name-form', store);
    expect(held).toHaveLength(1);
    expect(held[0]?.value).toMatch(AN_ID);
  });
}

for (const [label, store] of IN_PAGE) {
  test(`url, ${label}: after a click the id is in the address and every link, no cookie, no referrer`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    const demo = await open(page, { app: 'name-form', transport: 'url' }, label);
    const policies: string[] = [];
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.url().includes('/lab/name-form/'))
        policies.push(response.headers()['referrer-policy'] ?? 'none');
    });
    await saveName(demo, 'Ada', 'Lovelace');
    await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Hello Ada Lovelace');
    // The address after the redirect carries the id.
    const address = new URL((await frameOf(demo)).url());
    expect(address.searchParams.get(ID)).toMatch(AN_ID);
    const page3 = demo.app.getByRole('link', { name: 'Go to page 3' });
    expect(new URL((await page3.getAttribute('href')) ?? '', address).searchParams.get(ID)).toBe(
      address.searchParams.get(ID),
    );
    await page3.click();
    await expect(demo.app.getByText('Still here, Ada?')).toBeVisible();
    expect(new URL((await frameOf(demo)).url()).searchParams.get(ID)).toBe(address.searchParams.get(ID));
    // It works without a cookie, and no page tells the next site the address.
    expect(await idCookies(context, 'name-form', store)).toHaveLength(0);
    expect(policies.length).toBeGreaterThan(0);
    expect(new Set(policies)).toEqual(new Set(['no-referrer']));
  });

  test(`hidden-field, ${label}: saving the name redirects, and page 2 no longer knows you`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    const demo = await open(page, { app: 'name-form', transport: 'hidden-field' }, label);
    await saveName(demo, 'Ada', 'Lovelace');
    await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText('Page 2');
    await expect(demo.app.getByText("I don't know your name")).toBeVisible();
    expect((await frameOf(demo)).url()).not.toContain(ID);
    expect(await idCookies(context, 'name-form', store)).toHaveLength(0);
  });
}

for (const [label, store] of DB_STORE) {
  test(`hidden-field db-store, ${label}: each saved note counts on, a plain "Visit again" starts over at 1`, async ({
    page,
    context,
  }) => {
    await needsServer(store);
    const demo = await open(page, { app: 'db-store', transport: 'hidden-field' }, label);
    const counter = demo.app.locator('#counter');
    await expect(counter).toHaveText('1');
    for (const [note, count] of [
      ['first', '2'],
      ['second', '3'],
    ] as const) {
      // The form carries the id in a hidden field; the page it answers with carries it again.
      await expect(demo.app.locator(`form input[type="hidden"][name="${ID}"]`)).toHaveValue(AN_ID);
      await demo.app.getByLabel(/Your note/).fill(note);
      await demo.app.getByRole('button', { name: 'Save note' }).click();
      await expect(counter).toHaveText(count);
    }
    const link = demo.app.getByRole('link', { name: 'Visit again' });
    expect(await link.getAttribute('href')).not.toContain(ID);
    await link.click();
    await expect(counter).toHaveText('1');
    expect(await idCookies(context, 'db-store', store)).toHaveLength(0);
  });
}

for (const [label, store] of DB_STORE) {
  test(`hidden-field db-store, ${label}: an id put in the address is ignored, so a link cannot choose the session`, async ({
    page,
  }) => {
    await needsServer(store);
    const demo = await open(page, { app: 'db-store', transport: 'hidden-field' }, label);
    const counter = demo.app.locator('#counter');
    await demo.app.getByLabel(/Your note/).fill('first');
    await demo.app.getByRole('button', { name: 'Save note' }).click();
    await expect(counter).toHaveText('2');
    const id = await demo.app.locator(`form input[type="hidden"][name="${ID}"]`).inputValue();
    expect(id).toMatch(AN_ID);
    // A link someone sends: the live session's own id in the address.
    const frame = await frameOf(demo);
    // The app's own address: the note form posted to a page of it.
    const link = new URL(`/lab/db-store/${store}/hidden-field/`, frame.url());
    link.search = new URLSearchParams({ [ID]: id }).toString();
    await frame.goto(link.href);
    await expect(counter).toHaveText('1');
  });
}
