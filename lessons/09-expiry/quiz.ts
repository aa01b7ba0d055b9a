// The questions that close chapter 9 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'absolute-why',
    prompt: 'Why end a session that is still being used, with an absolute timeout?',
    choices: [
      {
        text: 'To save memory: active sessions are the largest.',
        why: 'Memory is what the sweeper is for. The absolute limit is about stolen ids.',
      },
      {
        text: 'Because a thief can keep a stolen id alive forever by using it every few minutes; an absolute limit bounds how long it works.',
        correct: true,
        why: 'The idle timeout never fires while someone keeps using the session, whoever that is.',
      },
      {
        text: 'Because browsers drop cookies older than a few hours anyway.',
        why: 'Browsers keep a cookie as long as its `Max-Age` or `Expires` allows, and a client can keep sending one even after that. The server decides.',
      },
    ],
  },
  {
    id: 'server-decides',
    prompt:
      'A client keeps sending a session cookie after its `Max-Age` has passed. What does Session Lab do?',
    choices: [
      {
        text: 'Serves the session: the cookie arrived, so it is still valid.',
        why: 'The cookie’s expiry is only a courtesy to the browser; it decides nothing on the server.',
      },
      {
        text: 'Refuses it if the stored `expiresAt` has passed, whatever the cookie says.',
        correct: true,
        why: 'What counts is the deadline stored on the server: an expired record is never served.',
      },
      {
        text: 'Extends the cookie’s `Max-Age` and serves the session.',
        why: 'A refresh never brings an expired session back; the engine never saves a session it found expired.',
      },
    ],
  },
  {
    id: 'memorystore-leak',
    prompt: 'Why does express-session’s default `MemoryStore` leak memory?',
    choices: [
      {
        text: 'It has no timer: it drops an expired session only when something reads it, and a visitor who never returns never reads theirs.',
        correct: true,
        why: 'Every bot, health check and one-time visitor adds a session for good. Session Lab’s RAM store has a sweeper and a cap.',
      },
      {
        text: 'It copies every session on every request.',
        why: 'Copies are not the issue; sessions that are never removed are.',
      },
      {
        text: 'It stores sessions in the cookie as well as in memory.',
        why: '`MemoryStore` keeps sessions only in the process’s memory; the cookie holds just the id.',
      },
    ],
  },
];

export default quiz;
