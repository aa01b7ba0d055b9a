import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countProseWords, proseOf } from './prose.ts';

test('counts the words a learner reads, not frontmatter, imports, code, tags or link targets', () => {
  const mdx = [
    '---',
    'title: Not counted here',
    '---',
    "import Demo from '~/components/Demo.astro';",
    '',
    "The server's id travels in a [cookie](/glossary/#cookie).",
    '',
    '```ts',
    'const notProse = 1;',
    '```',
    '<Demo app="counter" />',
    '<Aside type="tip">Asides count.</Aside>',
    '<!-- neither do comments -->',
    '## Sources',
    '- [MDN: Set-Cookie](https://developer.mozilla.org/)',
  ].join('\n');
  assert.equal(countProseWords(mdx), 9, proseOf(mdx));
});

test('a hyphenated or possessive word is one word; inline code counts', () => {
  assert.equal(countProseWords("write-through isn't `maxAge`"), 3);
});
