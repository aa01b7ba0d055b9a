// The questions that close chapter 6 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'timeout-unit',
    prompt: 'A config says `timeout = 120`. How long may a session sit idle before it expires?',
    choices: [
      {
        text: '120 seconds.',
        why: 'The unit is minutes, not seconds.',
      },
      {
        text: 'Two hours.',
        correct: true,
        why: '`timeout` is the idle timeout in minutes. Writing `7200` while thinking of seconds would keep idle sessions for five days.',
      },
      {
        text: '120 requests.',
        why: 'The timeout counts idle time, not requests.',
      },
    ],
  },
  {
    id: 'typo-key',
    prompt: 'A config file says `timout = 120` (a typo). What does the sandbox do?',
    choices: [
      {
        text: 'Ignores the line and uses the default timeout.',
        why: 'The engine never guesses: a typo that passed silently would be “a setting that had no effect”.',
      },
      {
        text: 'Starts, and fails on the first request that needs the timeout.',
        why: 'The file is checked once, at start-up; nothing about configuration can fail later, in the middle of a request.',
      },
      {
        text: 'Stops at start-up with the file name, the line number, `timout: unknown key` and the keys it knows.',
        correct: true,
        why: 'Unknown keys and misspelt values are reported at start-up with where they are and what was expected.',
      },
    ],
  },
  {
    id: 'flags-override',
    prompt:
      'You pass `--config file.cfg --store sqlite`, and the file says `storageType = file`. Which store runs?',
    choices: [
      {
        text: 'SQLite: command-line flags override what the file says.',
        correct: true,
        why: 'So you can keep one file and vary one thing at a time.',
      },
      {
        text: 'The file store: a config file always wins over flags.',
        why: 'It is the other way round: flags override the file.',
      },
      {
        text: 'Neither: the sandbox refuses two different store settings.',
        why: 'It is not a clash: the flag simply overrides the file’s value.',
      },
    ],
  },
];

export default quiz;
