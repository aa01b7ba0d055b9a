// Chapter 1's "The same page with a session", on every backend its demo's switch offers: before the form
// there is no session; saving a name hands the browser a session cookie, every later request carries
// that same value back in its Cookie header, and saving a new name gives the session a new id.
import { BACKENDS, type Demo, expect, needsServer, openDemo, test } from './fixtures.ts';

const ID = 'session_lab_id';

/** The masked id the last request carried in its Cookie header, as the inspector shows it. */
async function carriedId(demo: Demo): Promise<string> {
  const text = (await demo.part('exchange').textContent()) ?? '';
  // Masked as the inspector masks session ids: the first 6 and the last 2 characters.
  const carried = new RegExp(`Cookie: (?:[^;]*; )?${ID}=([\\w-]{6}…[\\w-]{2})`).exec(text)?.[1];
  if (!carried) throw new Error(`the last request carried no ${ID}:\n${text}`);
  return carried;
}

/** The masked value of the session cookie in the inspector's cookie table. */
async function tableId(demo: Demo): Promise<string> {
  const table = demo.part('cookies').locator('table');
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const row = table
    .locator('tbody tr')
    .filter({ has: demo.page.locator('td', { hasText: new RegExp(`^${ID}$`) }) });
  return (await row.locator('td').nth(headers.indexOf('Value')).textContent())?.trim() ?? '';
}

async function saveName(demo: Demo, first: string, last: string): Promise<void> {
  await demo.app.getByLabel('First name').fill(first);
  await demo.app.getByLabel('Last name').fill(last);
  await demo.app.getByRole('button', { name: 'Save my name' }).click();
  await expect(demo.app.getByRole('heading', { level: 1 })).toHaveText(`Hello ${first} ${last}`);
  await demo.idle();
  // The inspector has drawn the request for page 2 that the save redirected to.
  await expect(demo.part('exchange')).toContainText(/GET \/lab\/name-form\/[a-z]+\/std\/page2/);
}

async function follow(demo: Demo, link: string, path: string | RegExp): Promise<void> {
  await demo.app.getByRole('link', { name: link }).click();
  await demo.idle();
  await expect(demo.part('exchange')).toContainText(path);
}

for (const [label, store] of BACKENDS) {
  test(`chapter 1, ${label}: the name's cookie comes back on every request, and a new name gets a new id`, async ({
    page,
  }) => {
    await needsServer(store);
    const demo = await openDemo(page, { app: 'name-form' }, '01');
    if (label !== 'RAM') await demo.switchTo(label);
    await expect(demo.part('exchange')).toContainText('No session yet');

    await saveName(demo, 'Ada', 'Lovelace');
    const first = await carriedId(demo);
    expect(await tableId(demo)).toBe(first);

    await follow(demo, 'Go to page 3', `GET /lab/name-form/${store}/std/page3`);
    await expect(demo.app.getByText('Still here, Ada?')).toBeVisible();
    expect(await carriedId(demo)).toBe(first);

    await follow(demo, 'Page 1', new RegExp(`GET /lab/name-form/${store}/std/(?!page)`));
    await saveName(demo, 'Grace', 'Hopper');
    const second = await carriedId(demo);
    expect(second).not.toBe(first);
    expect(await tableId(demo)).toBe(second);
  });
}
