// The questions that close chapter 8 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'placeholders',
    prompt: 'What fixes the flawed original’s SQL built with the `%` operator?',
    choices: [
      {
        text: 'Escaping single quotes in the session id before pasting it in.',
        why: 'Hand-made escaping is easy to get wrong. The chapter’s fix keeps values out of the SQL text altogether.',
      },
      {
        text: 'Placeholders: fixed query text with `?` (or `$1`) where values go, and the values sent separately.',
        correct: true,
        why: 'Whatever the values contain, quotes included, the database never reads them as SQL.',
      },
      {
        text: 'Base64-encoding the session data.',
        why: 'The original already base64-encoded the data; the injection came through the session id pasted into the query.',
      },
    ],
  },
  {
    id: 'pickle',
    prompt: 'Why is loading session data with Python’s `pickle` dangerous?',
    choices: [
      {
        text: 'Loading a pickle can call any function named in the data: it is running a program.',
        correct: true,
        why: 'Anyone who can write a row (through the injection, for instance) can make the server run their code. JSON only ever builds plain data.',
      },
      {
        text: 'Pickles are larger than JSON, so sessions overflow the column.',
        why: 'Size is not the problem; running code chosen by whoever wrote the data is.',
      },
      {
        text: 'Pickle loses the types of the values it stores.',
        why: 'It is the opposite: pickle rebuilds almost any object, which is exactly what makes it dangerous.',
      },
    ],
  },
  {
    id: 'delete-insert',
    prompt: 'What goes wrong when a save is a `delete` followed by an `insert`, without a transaction?',
    choices: [
      {
        text: 'Nothing, as long as the two statements run quickly one after the other.',
        why: 'However quick, there is a gap. A request that loads in it, or a crash during it, finds no session.',
      },
      {
        text: 'The database refuses two statements on one table in a row.',
        why: 'The statements run; the trouble is what other requests see between them.',
      },
      {
        text: 'Between the two, the session does not exist: a parallel request finds none, a crash loses it, and racing saves can leave two rows.',
        correct: true,
        why: 'The fix is one upsert on a table whose id column is the primary key: others see the old row or the new, never none.',
      },
    ],
  },
  {
    id: 'mysql-values',
    prompt: 'Why does Session Lab’s `mysql` store still write `ON DUPLICATE KEY UPDATE data = VALUES(data)`?',
    choices: [
      {
        text: 'Because MySQL has no other way to write this upsert.',
        why: 'MySQL 8.0.19 and later offer a row alias (`AS new … data = new.data`), and deprecate `VALUES()` here since 8.0.20.',
      },
      {
        text: 'Because the store must talk to MariaDB too, which has no row alias and keeps `VALUES()`.',
        correct: true,
        why: '`VALUES()` still works on MySQL (with a deprecation warning) and is the form both databases accept.',
      },
      {
        text: 'Because `VALUES()` is faster than the row alias.',
        why: 'The choice is about which databases understand the statement, not speed.',
      },
    ],
  },
];

export default quiz;
