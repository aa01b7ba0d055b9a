import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readChapters } from './chapters.ts';
import { codeSpans, type Question, quizProblems } from './questions.ts';

const good: Question = {
  id: 'good',
  prompt: 'Which?',
  choices: [
    { text: 'this', correct: true, why: 'because' },
    { text: 'that', why: 'because not' },
  ],
};

test('a well-formed quiz has no problems', () => {
  assert.deepEqual(quizProblems([good, { ...good, id: 'good-2' }]), []);
});

test('the rules a quiz must follow are each reported', () => {
  assert.match(quizProblems([good]).join('\n'), /1 questions, not 2 to 4/);
  assert.match(quizProblems([good, good]).join('\n'), /"good": id used twice/);
  assert.match(quizProblems([good, { ...good, id: 'Bad Id' }]).join('\n'), /not lower-case-with-dashes/);
  const noneRight = { ...good, id: 'x', choices: good.choices.map(({ text, why }) => ({ text, why })) };
  assert.match(quizProblems([good, noneRight]).join('\n'), /"x": has 0 right answers, not 1/);
  const twoRight = { ...good, id: 'x', choices: good.choices.map((c) => ({ ...c, correct: true as const })) };
  assert.match(quizProblems([good, twoRight]).join('\n'), /"x": has 2 right answers/);
  const noWhy = { ...good, id: 'x', choices: [good.choices[0], { text: 'that', why: ' ' }] } as Question;
  assert.match(quizProblems([good, noWhy]).join('\n'), /"x": choice 2 has no explanation/);
  const oneChoice = { ...good, id: 'x', choices: good.choices.slice(0, 1) };
  assert.match(quizProblems([good, oneChoice]).join('\n'), /"x": has 1 choices, not 2 to 5/);
});

test('backticks mark code spans', () => {
  assert.deepEqual(codeSpans('use `SameSite` here'), [
    { text: 'use ', code: false },
    { text: 'SameSite', code: true },
    { text: ' here', code: false },
  ]);
});

const lessons = new URL('./', import.meta.url);
const root = new URL('../', import.meta.url);
const chapters = readChapters();

test('every chapter has a quiz.ts of 2 to 4 well-formed questions, shown on its last step before the sources', async () => {
  assert.equal(chapters.length, 13);
  for (const { slug, steps } of chapters) {
    const { default: questions } = (await import(new URL(`${slug}/quiz.ts`, lessons).href)) as {
      default: readonly Question[];
    };
    assert.deepEqual(quizProblems(questions), [], `${slug}/quiz.ts`);
    // The questions close the chapter, so they sit on its last step (index.mdx when it has one step).
    const file = steps.at(-1)?.file ?? `lessons/${slug}/index.mdx`;
    const page = readFileSync(new URL(file, root), 'utf8');
    assert.match(page, /^import quiz from '\.\/quiz\.ts';$/m, `${file} imports its quiz`);
    const quiz = page.indexOf('<Quiz questions={quiz} />');
    assert.ok(quiz > 0, `${file} shows its quiz`);
    const sources = page.indexOf('\n## Sources');
    assert.ok(sources < 0 || quiz < sources, `${file}: the quiz comes before the sources`);
  }
});
