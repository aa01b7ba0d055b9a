// The reference pages (lessons/reference/): each one loads with its title, sits in the sidebar's
// "Reference" group in order, keeps its comparison tables with the columns the page promises (each wide
// table in a named region a keyboard can scroll), and ends with a list of sources.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEFAULTS } from '../sandbox/engine/config.ts';
import { SECURE_PREFIX } from '../sandbox/engine/cookies.ts';
import { expect, REFERENCE_PAGES, type SitePage, test } from './fixtures.ts';

/** The header row of every comparison table each page must keep, in order of appearance. */
const TABLE_COLUMNS: Record<string, string[][]> = {
  'reference-three-sessions': [['', 'Browser-session cookie', 'sessionStorage', 'Server session']],
  'reference-sessions-vs-tokens': [['', 'Server session', 'Signed token (JWT, sealed cookie)']],
  'reference-framework-defaults': Array.from({ length: 3 }, () => [
    'Setting',
    'express-session',
    'Django',
    'Rails',
    'PHP',
    'Flask',
    'Spring Session',
    'ASP.NET Core',
    'Astro',
    'Session Lab',
  ]),
  'reference-owasp-checklist': Array.from({ length: 6 }, () => [
    'OWASP recommendation',
    'Taught in',
    'What Session Lab does',
    'Status',
  ]),
};

/** The rows every framework-defaults table must cover, by its first cell. */
const DEFAULTS_ROWS = [
  'Id transport',
  'Default store',
  'Cookie name',
  'HttpOnly',
  'Secure',
  'SameSite',
  'Path',
  'Cookie lifetime',
  'Locking',
  'Fixation (new id on login?)',
  'Server-side expiry',
];

function page(name: string): SitePage {
  const found = REFERENCE_PAGES.find((p) => p.name === name);
  if (!found) throw new Error(`lessons/reference/ has no page for ${name}`);
  return found;
}

async function headerRows(p: Page): Promise<string[][]> {
  return p
    .locator('.sl-markdown-content table')
    .evaluateAll((tables) =>
      tables.map((table) =>
        [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? ''),
      ),
    );
}

test('there are the four reference pages, one per topic of issue 12 §5', () => {
  expect(REFERENCE_PAGES.map((p) => p.name)).toEqual([
    'reference-three-sessions',
    'reference-sessions-vs-tokens',
    'reference-framework-defaults',
    'reference-owasp-checklist',
  ]);
});

for (const reference of REFERENCE_PAGES) {
  test(`${reference.path} loads with its title, its tables' columns and a list of sources`, async ({
    page: p,
  }) => {
    const response = await p.goto(reference.path);
    expect(response?.status()).toBe(200);
    await expect(p.getByRole('heading', { level: 1 })).toHaveText(reference.title);
    await expect(p).toHaveTitle(`${reference.title} | Session Lab`);

    expect(await headerRows(p)).toEqual(TABLE_COLUMNS[reference.name]);
    // Each table scrolls sideways in a named region that takes keyboard focus, not on its own.
    const regions = p.locator('.sl-markdown-content [role="region"]:has(table)');
    await expect(regions).toHaveCount(TABLE_COLUMNS[reference.name]?.length ?? 0);
    for (const region of await regions.all()) {
      await expect(region).toHaveAttribute('tabindex', '0');
      await expect(region).toHaveAccessibleName(/\S/);
    }

    const sources = p.getByRole('heading', { level: 2, name: 'Sources' });
    await expect(sources).toBeVisible();
    const links = p.locator('.sl-heading-wrapper:has(h2#sources) + ul').locator('a[href^="https://"]');
    expect(await links.count()).toBeGreaterThanOrEqual(2);
  });
}

test('the sidebar lists the reference pages in a "Reference" group, in order, and each link opens its page', async ({
  page: p,
}) => {
  await p.goto(REFERENCE_PAGES[0]?.path ?? '/');
  const group = p
    .locator('nav[aria-label="Main"] details')
    .filter({ has: p.getByText('Reference', { exact: true }) });
  const links = group.locator('a');
  await expect(links).toHaveText(REFERENCE_PAGES.map((r) => r.title));
  for (const [i, reference] of REFERENCE_PAGES.entries()) {
    await group.locator('a').nth(i).click();
    await expect(p).toHaveURL(reference.path);
    await expect(p.getByRole('heading', { level: 1 })).toHaveText(reference.title);
  }
});

test('the framework table covers every question of the issue, and every cell names a source or says it is not documented', async ({
  page: p,
}) => {
  await p.goto(page('reference-framework-defaults').path);
  const rows = p.locator('.sl-markdown-content table tbody tr');
  await expect(rows.locator('td:first-child')).toHaveText(DEFAULTS_ROWS);
  const cells = await rows.evaluateAll((trs) =>
    trs.flatMap((tr) =>
      [...tr.querySelectorAll('td')].slice(1).map((td) => ({
        row: tr.querySelector('td')?.textContent?.trim() ?? '',
        text: td.textContent?.trim() ?? '',
        linked: td.querySelector('a[href]') !== null,
      })),
    ),
  );
  expect(cells).toHaveLength(DEFAULTS_ROWS.length * 9);
  const unsourced = cells.filter((cell) => !cell.linked && !/^not documented\b/i.test(cell.text));
  expect(unsourced, 'cells with neither a source link nor "not documented"').toEqual([]);
});

/** Whether any non-test source file under these folders mentions `text` (case-insensitive). */
function sourceMentions(text: string, folders: string[]): boolean {
  const root = new URL('../', import.meta.url).pathname;
  const needle = text.toLowerCase();
  const walk = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name !== 'node_modules' && walk(path);
      return /\.(ts|mjs|astro)$/.test(entry.name) && !entry.name.includes('.test.')
        ? readFileSync(path, 'utf8').toLowerCase().includes(needle)
        : false;
    });
  return folders.some((folder) => walk(join(root, folder)));
}

test("the Session Lab column matches the engine's DEFAULTS", async ({ page: p }) => {
  await p.goto(page('reference-framework-defaults').path);
  const sessionLab = (row: string) =>
    p
      .locator('.sl-markdown-content tbody tr')
      .filter({ has: p.locator('td:first-child', { hasText: row }) })
      .locator('td')
      .last();
  await expect(sessionLab('Default store')).toContainText(DEFAULTS.storageType);
  await expect(sessionLab('Cookie name')).toContainText(DEFAULTS.cookieName);
  await expect(sessionLab('Cookie name')).toContainText(`${SECURE_PREFIX}${DEFAULTS.cookieName}`);
  await expect(sessionLab('SameSite')).toContainText(new RegExp(`^${DEFAULTS.cookieSameSite}`, 'i'));
  await expect(sessionLab('Path')).toContainText(`${DEFAULTS.cookiePath} (`);
  await expect(sessionLab('Cookie lifetime')).toContainText(
    `cookiePersistent = ${DEFAULTS.cookiePersistent}`,
  );
  await expect(sessionLab('Locking')).toContainText(`locking = ${DEFAULTS.locking}`);
  await expect(sessionLab('Locking')).toContainText(`${DEFAULTS.lockTimeout} s`);
  await expect(sessionLab('Server-side expiry')).toContainText(`${DEFAULTS.timeout} minutes idle`);
  await expect(sessionLab('Server-side expiry')).toContainText(
    DEFAULTS.absoluteTimeout === null ? 'no absolute limit' : `${DEFAULTS.absoluteTimeout} minutes`,
  );
  await expect(sessionLab('Server-side expiry')).toContainText(`every ${DEFAULTS.cleanUpDelay} minutes`);
});

test('the OWASP checklist names the cookie prefix the engine uses, and says whether Clear-Site-Data is sent as the code does', async ({
  page: p,
}) => {
  await p.goto(page('reference-owasp-checklist').path);
  const row = (name: string) => p.locator('.sl-markdown-content tbody tr').filter({ hasText: name });
  // Session Lab prefixes with __Secure-, not __Host- (per-demo cookie paths): the page must say which.
  await expect(row('The __Host- prefix')).toContainText(`${SECURE_PREFIX}${DEFAULTS.cookieName}`);
  await expect(row('The __Host- prefix')).toContainText('Path=/');
  const clearSiteData = row('Clear-Site-Data at logout');
  if (sourceMentions('clear-site-data', ['sandbox', 'site', 'lessons'])) {
    await expect(clearSiteData.locator('td').last()).not.toHaveText('no');
  } else {
    await expect(clearSiteData).toContainText('does not send');
    await expect(clearSiteData.locator('td').last()).toHaveText('no');
  }
});
