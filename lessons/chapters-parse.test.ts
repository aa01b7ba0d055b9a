import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChapters, readingMinutes } from './chapters.ts';

const page = (title: string, order: number, words = 0) =>
  `---\ntitle: ${title}\nsidebar:\n  order: ${order}\n---\n\n${'word '.repeat(words)}\n`;

test('a chapter is its folder: index.mdx first, then the other steps by sidebar.order', () => {
  const [chapter, ...others] = parseChapters([
    ['lessons/03-session-id/cookie-attributes.mdx', page('Cookie attributes', 3)],
    ['lessons/03-session-id/index.mdx', page("'The session id'", 9)],
    ['lessons/03-session-id/how-it-travels.mdx', page('How it travels', 2)],
    ['lessons/reference/owasp.mdx', page('Not a chapter', 1)],
  ]);
  assert.equal(others.length, 0);
  assert.equal(chapter?.title, 'The session id');
  assert.deepEqual(
    chapter?.steps.map((step) => step.path),
    ['/03-session-id/', '/03-session-id/how-it-travels/', '/03-session-id/cookie-attributes/'],
  );
});

test('a chapter folder without index.mdx is an error, not a chapter without a start', () => {
  assert.throws(() => parseChapters([['lessons/04-x/other.mdx', page('Other', 2)]]), /no index\.mdx/);
});

test('reading time: the steps’ words at 200 a minute, at least one minute', () => {
  const [chapter] = parseChapters([
    ['lessons/01-a/index.mdx', page('A', 1, 500)],
    ['lessons/01-a/b.mdx', page('B', 2, 700)],
  ]);
  assert.ok(chapter);
  assert.equal(readingMinutes(chapter), 6);
  const [short] = parseChapters([['lessons/02-b/index.mdx', page('B', 1, 10)]]);
  assert.ok(short);
  assert.equal(readingMinutes(short), 1);
});
