// The questions that close chapter 10 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'lost-update',
    prompt:
      'Requests A and B for one session both load `pageViews = 7`, add one, and save. Without a lock, what is stored?',
    choices: [
      {
        text: '9: each request added one.',
        why: 'Each request added one to its own copy of 7, so both saved 8.',
      },
      {
        text: '8: the second save overwrote the first, and one visit was lost without any error.',
        correct: true,
        why: 'That is the lost update of an overlapping read-modify-write: two visits counted as one, and nothing logged.',
      },
      {
        text: 'An error: the store refuses the second save.',
        why: 'A plain save simply replaces the record; nothing notices the overlap. That is what makes the bug silent.',
      },
    ],
  },
  {
    id: 'lock-how',
    prompt: 'How does Session Lab’s lock prevent lost updates?',
    choices: [
      {
        text: 'It lets one request per session run at a time: the next one loads the session only after the previous one saved.',
        correct: true,
        why: 'A request takes the lock before loading and releases it after saving. Requests for different sessions never wait for each other.',
      },
      {
        text: 'It merges the changes of parallel requests when they save.',
        why: 'Nothing is merged: requests for one session take turns, so none starts from a stale copy.',
      },
      {
        text: 'It lets only one request at a time into the whole server.',
        why: 'The lock is per session: different visitors are served in parallel.',
      },
    ],
  },
  {
    id: 'cookie-store-lock',
    prompt: 'With locking on, a burst of 20 requests on the cookie store still loses counts. Why?',
    choices: [
      {
        text: 'The cookie store does not support `locking = auto`.',
        why: 'The lock works; the requests do take turns. The trouble is where the data is.',
      },
      {
        text: 'Each request carries its own copy of the count in the same cookie, so each computes “old count + 1”, and the browser keeps whichever cookie arrived last.',
        correct: true,
        why: 'The state travels with each request; there is nothing on the server to lock. Keep the data on the server if parallel requests must not lose changes.',
      },
      {
        text: 'The browser sends the 20 requests with 20 different cookies.',
        why: 'All 20 carry the same cookie; that is why they all start from the same count.',
      },
    ],
  },
  {
    id: 'lease',
    prompt:
      'A process is killed while it holds a session’s lock in PostgreSQL. What happens to that session?',
    choices: [
      {
        text: 'It stays locked until someone deletes the lock row by hand.',
        why: 'Each lock is a lease that expires unless renewed, so it cannot block forever.',
      },
      {
        text: 'It is blocked for at most the lease time (5 seconds), because the dead process stops renewing its lease.',
        correct: true,
        why: 'The holder renews every 1.5 seconds while it runs; once it is gone, the lease runs out and the next request takes it over.',
      },
      {
        text: 'PostgreSQL deletes the session with the process.',
        why: 'The session row is untouched; only the lock’s lease lapses.',
      },
    ],
  },
];

export default quiz;
