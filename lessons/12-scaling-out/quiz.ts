// The questions that close chapter 12 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'two-workers-ram',
    prompt:
      'The counter runs on two workers with the RAM store, and the proxy alternates between them. What do you see?',
    choices: [
      {
        text: 'The count climbs 1, 2, 3 as usual.',
        why: 'That is what a shared store gives. Here each worker has its own memory and never sees the other’s sessions.',
      },
      {
        text: '1, 1, 2, 2, 3, 3: each worker keeps its own half-count under the same id.',
        why: 'That is what an engine that adopts unknown ids would show. Session Lab never adopts an id it has no record of.',
      },
      {
        text: 'The count stays at 1 and the id changes on every click.',
        correct: true,
        why: 'Each worker finds no record for the id it is sent, so strict mode starts a fresh session under a new id every time.',
      },
    ],
  },
  {
    id: 'shared-machines',
    prompt: 'Your workers run on three different machines. Which stores can they share?',
    choices: [
      {
        text: 'PostgreSQL, MySQL or Redis.',
        correct: true,
        why: 'A database server is reachable from any number of machines.',
      },
      {
        text: 'SQLite or files.',
        why: 'Those are shared only by the processes of one machine, which open the same file or directory.',
      },
      {
        text: 'RAM, as long as the load balancer is sticky.',
        why: 'Sticky sessions pin each visitor to one worker; nothing is shared, and a worker that stops takes its sessions with it.',
      },
    ],
  },
  {
    id: 'sticky-cost',
    prompt: 'What is the main cost of sticky sessions with a RAM store?',
    choices: [
      {
        text: 'Every request needs a round trip to a database.',
        why: 'That is the cost of a shared store. Sticky sessions keep everything in the worker’s memory.',
      },
      {
        text: 'A worker that stops (a crash, a deploy, a scale-down) takes its visitors’ sessions with it.',
        correct: true,
        why: 'The sessions live only in that worker’s memory. Load can also become uneven, and IP-based stickiness breaks when phones switch networks.',
      },
      {
        text: 'The session cookie must be readable by the load balancer, so it cannot be `HttpOnly`.',
        why: '`HttpOnly` hides a cookie from page scripts only; a load balancer sees the request headers either way.',
      },
    ],
  },
];

export default quiz;
