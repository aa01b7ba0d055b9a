// The shape of a chapter's questions (NN-slug/quiz.ts) and the rules they must follow; the quiz
// component checks them at build time, so a question without a right answer or an explanation fails the
// build instead of reaching a learner.

export interface Choice {
  /** The answer as shown; `backticks` mark code. */
  text: string;
  /** Exactly one choice per question is right. */
  correct?: true;
  /** Why this choice is right or wrong, shown when the learner checks it. */
  why: string;
}

export interface Question {
  /** Stable id within the chapter (lower-case, dashes): progress is stored under it. */
  id: string;
  prompt: string;
  choices: readonly Choice[];
}

/** What is wrong with a chapter's questions; empty when they are fine. */
export function quizProblems(questions: readonly Question[]): string[] {
  const problems: string[] = [];
  if (questions.length < 2 || questions.length > 4)
    problems.push(`has ${questions.length} questions, not 2 to 4`);
  const ids = new Set<string>();
  for (const question of questions) {
    const name = `question "${question.id}"`;
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(question.id))
      problems.push(`${name}: id is not lower-case-with-dashes`);
    if (ids.has(question.id)) problems.push(`${name}: id used twice`);
    ids.add(question.id);
    if (!question.prompt.trim()) problems.push(`${name}: empty prompt`);
    if (question.choices.length < 2 || question.choices.length > 5)
      problems.push(`${name}: has ${question.choices.length} choices, not 2 to 5`);
    const right = question.choices.filter((choice) => choice.correct === true).length;
    if (right !== 1) problems.push(`${name}: has ${right} right answers, not 1`);
    for (const [index, choice] of question.choices.entries()) {
      if (!choice.text.trim()) problems.push(`${name}: choice ${index + 1} has no text`);
      if (!choice.why.trim()) problems.push(`${name}: choice ${index + 1} has no explanation`);
    }
  }
  return problems;
}

/** Splits text on `backticks`: odd-numbered parts are code. */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  return text.split('`').map((part, index) => ({ text: part, code: index % 2 === 1 }));
}
