// The questions that close chapter 7 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'set-date',
    prompt: "An app calls `session.set('since', new Date())`. What happens?",
    choices: [
      {
        text: 'The date is stored, and comes back as a `Date` on every store.',
        why: 'A `Date` is not JSON. If it were accepted, the RAM store would give back a `Date` and the file store a string.',
      },
      {
        text: 'The `set` call throws an error naming the key and what was wrong.',
        correct: true,
        why: 'Values must be JSON (null, booleans, finite numbers, strings, arrays, plain objects), so every store behaves the same. Store `date.toISOString()` or milliseconds instead.',
      },
      {
        text: 'The date is silently turned into a string.',
        why: 'Nothing is converted silently: the engine refuses the value right at `set`.',
      },
    ],
  },
  {
    id: 'copy-at-set',
    prompt:
      "An app does `session.set('basket', basket)` and then `basket.items.push('cake')`. What does the session hold?",
    choices: [
      {
        text: 'The basket with `cake`: the session keeps a reference to the object.',
        why: 'The engine copies a value at `set`, so later changes to the object do not reach the session.',
      },
      {
        text: 'The basket as it was at `set`, without `cake`, until `set` is called again.',
        correct: true,
        why: 'Changing an object afterwards does not secretly change the session; call `set` again to store the new version.',
      },
      {
        text: 'Nothing: `push` on a stored object throws an error.',
        why: 'The app’s own object is untouched by the session and can be changed freely.',
      },
    ],
  },
  {
    id: 'first-cookie',
    prompt: 'A visitor only reads pages that never call `session.set`. What does the server store for them?',
    choices: [
      {
        text: 'An empty session, and a cookie is sent so the next visit finds it.',
        why: 'No session exists until an app stores something: no store write, no cookie.',
      },
      {
        text: 'Nothing: no session is created, no store is written and no cookie is sent.',
        correct: true,
        why: 'The first `set` is the moment a visitor gets a session; a visitor who never causes one leaves nothing behind.',
      },
      {
        text: 'A session holding the pages they visited.',
        why: 'The engine stores only what the app puts into the session.',
      },
    ],
  },
  {
    id: 'regenerate',
    prompt: 'Which member should an app call when someone logs in?',
    choices: [
      {
        text: '`destroy()`',
        why: '`destroy()` ends the session and deletes its data: the one to use for logging out.',
      },
      {
        text: '`clear()`',
        why: '`clear()` removes every key but keeps the session and its id, which is the part that must change at login.',
      },
      {
        text: '`regenerate()`',
        correct: true,
        why: 'It gives the session a new id and keeps its data; the old id stops working (chapter 11 shows why this matters).',
      },
    ],
  },
];

export default quiz;
