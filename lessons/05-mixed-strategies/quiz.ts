// The questions that close chapter 5 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'interval-kill',
    prompt:
      'Under `writePolicy = interval` (a flush every 5 seconds), you count quickly and the process is killed with `kill -9`. What is lost?',
    choices: [
      {
        text: 'Nothing: the flush timer writes the buffer before the process ends.',
        why: '`kill -9` ends the process at once; no code runs afterwards, the timer included.',
      },
      {
        text: 'The counts made since the last flush, up to 5 seconds’ worth.',
        correct: true,
        why: 'Changes wait in RAM until the next flush. Whatever had not been flushed was only in the killed process’s memory.',
      },
      {
        text: 'Every count since the server started.',
        why: 'That is `on-shutdown`. With `interval`, every flush that did happen is safely in the store.',
      },
    ],
  },
  {
    id: 'restart-vs-kill',
    prompt: 'Why does a clean restart keep every count under `on-shutdown`, while `kill -9` loses them?',
    choices: [
      {
        text: 'A restart lets the process flush its buffer and close the store; `kill -9` gives it no chance to run any code.',
        correct: true,
        why: 'Closing the store calls `flush` one last time, exactly the step that `kill -9` never reaches.',
      },
      {
        text: 'A restart copies the process’s memory into the new process.',
        why: 'The new process starts empty and knows only what reached the file.',
      },
      {
        text: '`kill -9` deletes the session file as well as the process.',
        why: 'The file is untouched: it still holds what the last clean stop wrote. The changes made after that were never written.',
      },
    ],
  },
  {
    id: 'buffered-ram',
    prompt: 'Why does Session Lab refuse `writePolicy = on-shutdown` with `storageType = ram`?',
    choices: [
      {
        text: 'Because RAM sessions are too large to write at shutdown.',
        why: 'Size has nothing to do with it.',
      },
      {
        text: 'Because the buffered policies need a store behind the RAM, and a RAM store has nothing behind it to write to.',
        correct: true,
        why: 'The buffer keeps sessions in memory and writes them to a store behind; with `ram` (or `cookie`) there is no such store, so it refuses at start-up.',
      },
      {
        text: 'It does not refuse: the two settings together keep sessions across a `kill -9`.',
        why: 'The engine stops at start-up with a message saying the combination cannot work.',
      },
    ],
  },
];

export default quiz;
