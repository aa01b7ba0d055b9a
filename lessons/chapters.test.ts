// The shape every chapter keeps (issue 12 §4): steps of at most 900 words of prose each, the first opening
// with what the reader will be able to do, the last closing with a recap and the chapter's questions, and
// every step listing its sources.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readChapters } from './chapters.ts';
import { countProseWords } from './prose.ts';

const MAX_WORDS = 900;
const chapters = readChapters();

test('the course has its thirteen chapters, each with at least one step', () => {
  assert.equal(chapters.length, 13);
  for (const chapter of chapters) assert.ok(chapter.steps[0]?.path === `/${chapter.slug}/`, chapter.slug);
});

for (const chapter of chapters) {
  const texts = chapter.steps.map((step) => readFileSync(step.file, 'utf8'));

  test(`${chapter.slug}: every step has at most ${MAX_WORDS} words of prose and its own sources`, () => {
    for (const [i, step] of chapter.steps.entries()) {
      const text = texts[i] ?? '';
      const words = countProseWords(text);
      assert.ok(
        words <= MAX_WORDS,
        `${step.file}: ${words} words of prose (at most ${MAX_WORDS}); split it into steps`,
      );
      assert.match(text, /^## Sources$/m, `${step.file}: no "## Sources" list`);
    }
  });

  test(`${chapter.slug}: opens with objectives and closes with a recap and its questions`, () => {
    assert.match(texts[0] ?? '', /<Objectives>/, `${chapter.steps[0]?.file}: no <Objectives> at the start`);
    const last = texts.at(-1) ?? '';
    const file = chapter.steps.at(-1)?.file;
    assert.match(last, /<Recap>/, `${file}: no <Recap>`);
    assert.match(last, /<Quiz /, `${file}: no <Quiz> (the chapter's questions close its last step)`);
    assert.ok(
      last.indexOf('<Recap>') < last.indexOf('<Quiz '),
      `${file}: the recap comes before the questions`,
    );
  });
}
