// Chapter 7 reads counter.ts "line by line" and names its lines ("Line 6 reads the count"). The page shows
// the file with its own line numbers, so the two agree only while the file keeps its shape: this test
// fails the build when an edit to counter.ts (or to the prose) moves a line the prose names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const source = readFileSync(new URL('./counter.ts', import.meta.url), 'utf8')
  .replace(/\n$/, '')
  .split('\n');
const prose = readFileSync(new URL('./index.mdx', import.meta.url), 'utf8');
const line = (n: number): string => source[n - 1] ?? '';

/** What each line the prose names must hold, keyed by the words the prose uses for it. */
const CLAIMS: [string, () => void][] = [
  ['thirteen lines', () => assert.equal(source.length, 13, 'counter.ts is no longer thirteen lines')],
  [
    '**Lines 2 and 3** import',
    () => assert.ok(line(2).startsWith('import ') && line(3).startsWith('import '), 'lines 2–3: imports'),
  ],
  ['**Line 5** declares the app', () => assert.match(line(5), /^export const counter: App = /)],
  ['**Line 6** reads the count', () => assert.match(line(6), /session\.get\('pageViews'\)/)],
  ['**Line 7** stores the new count', () => assert.match(line(7), /session\.set\('pageViews', count\)/)],
  [
    '**Lines 8 to 12** build the page',
    () => {
      assert.match(line(8), /return htmlPage\(/);
      assert.match(line(10), /<output id="count">/);
      assert.match(line(11), /href="\$\{base\}"/);
      assert.equal(line(12).trim(), ');');
    },
  ],
  ['After line 12 the engine takes over', () => assert.equal(line(13), '};')],
  ['exactly what line 7 put there', () => assert.match(line(7), /session\.set\(/)],
];

for (const [words, check] of CLAIMS) {
  test(`chapter 7 says "${words}", and counter.ts agrees`, () => {
    assert.ok(prose.includes(words), `index.mdx no longer says "${words}": update this test with the prose`);
    check();
  });
}
