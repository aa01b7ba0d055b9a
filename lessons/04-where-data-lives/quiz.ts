// The questions that close chapter 4 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'restart-ram',
    prompt: 'You press Restart server on the counter demo. On which store does the count start again at 1?',
    choices: [
      {
        text: 'The file store.',
        why: 'Each session is a file on disk, which survives a restart: the count carries on.',
      },
      {
        text: 'The cookie store.',
        why: 'The data was never on the server, so a restart takes nothing away: the count carries on.',
      },
      {
        text: 'The RAM store.',
        correct: true,
        why: 'A RAM store is a map in the process’s memory; it lasts only as long as the process.',
      },
    ],
  },
  {
    id: 'atomic-rename',
    prompt: 'Why does the file store write a temporary file and rename it over the old one?',
    choices: [
      {
        text: 'So that a process killed mid-write never leaves half a file: readers see the old version or the new, never a mix.',
        correct: true,
        why: 'A rename replaces the file in one step, so there is no moment when a half-written session can be read.',
      },
      {
        text: 'So that every save is forced onto the disk before the response is sent.',
        why: 'The chapter says the opposite: a save is not forced to disk (no `fsync`); only a power cut could lose the last saves.',
      },
      {
        text: 'So that the file name does not give away the session id.',
        why: 'That is done by naming files after the SHA-256 hash of the id, not by renaming.',
      },
    ],
  },
  {
    id: 'worker-threads',
    prompt:
      'A Node server runs on several `worker_threads`, each with a RAM session store. What do they share?',
    choices: [
      {
        text: 'One `Map`, because threads of one process share memory.',
        why: 'That was true of CherryPy’s threads. Node’s workers share memory only through `SharedArrayBuffer` and transferred buffers.',
      },
      {
        text: 'No sessions: each worker has its own `Map`.',
        correct: true,
        why: 'In Node, one RAM store is one map, seen by one worker only. Sharing needs a store outside the workers.',
      },
      {
        text: 'Only the sessions written by the main thread.',
        why: 'No `Map` is shared at all, whoever writes to it.',
      },
    ],
  },
];

export default quiz;
