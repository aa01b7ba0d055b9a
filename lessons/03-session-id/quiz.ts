// The questions that close chapter 3 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'good-id',
    prompt: 'What matters most about how a session id is made?',
    choices: [
      {
        text: 'That it comes from a cryptographic random generator, so it cannot be predicted.',
        correct: true,
        why: 'An id is a password the server hands out. A counter, a timestamp or `Math.random()` can be predicted; a cryptographic generator cannot.',
      },
      {
        text: 'That it is as long as possible: 1024 bits rather than 256.',
        why: 'OWASP asks for at least 64 bits; 122, 192 and 256 are all out of reach of guessing. Where the bits come from matters more than more of them.',
      },
      {
        text: 'That it contains the time it was made, so old ids can be spotted.',
        why: 'A timestamp makes an id easier to guess, not safer. Expiry is tracked by the server, not read from the id.',
      },
    ],
  },
  {
    id: 'missing-samesite',
    prompt: 'A cookie is set without a `SameSite` attribute. How do browsers treat it?',
    choices: [
      {
        text: 'Every browser treats it as `Lax`.',
        why: 'Only Chromium-based browsers do (with a two-minute exception for top-level POSTs); Firefox and Safari treat it as `None`.',
      },
      {
        text: 'Chromium-based browsers treat it as `Lax`; Firefox and Safari treat it as `None`.',
        correct: true,
        why: 'Browsers disagree, which is why Session Lab always sends `SameSite` explicitly instead of leaning on a default.',
      },
      {
        text: 'Every browser treats it as `Strict`.',
        why: 'No browser defaults to `Strict`; the defaults are `Lax` (Chromium) and `None` (Firefox, Safari).',
      },
    ],
  },
  {
    id: 'session-cookie-close',
    prompt: 'A cookie has neither `Expires` nor `Max-Age`. Does it end when the browser closes?',
    choices: [
      {
        text: 'Yes, always: that is what a browser-session cookie means.',
        why: 'With “continue where you left off” (Chrome) or “open previous windows and tabs” (Firefox), such cookies are restored after a restart.',
      },
      {
        text: 'Not reliably: session restore can bring it back, so a session that must end needs a timeout on the server.',
        correct: true,
        why: 'The browser may drop it on close but need not. Only the server can make a session end for sure (chapter 9).',
      },
      {
        text: 'No: without a date the cookie lasts forever.',
        why: 'It is a browser-session cookie: the browser may drop it when it closes. It is just not guaranteed to.',
      },
    ],
  },
  {
    id: 'url-transport-copy',
    prompt: 'With the URL transport, you copy the address into a private window. What do you see?',
    choices: [
      {
        text: 'An empty form: a private window never shares a session.',
        why: 'That is what happens with the cookie transport. Here the id is in the address you copied.',
      },
      {
        text: 'Your names: the id came along in the address, and whoever holds the id owns the session.',
        correct: true,
        why: 'That is why a URL with a session id must never be pasted into a chat or an email.',
      },
      {
        text: 'An error: the engine refuses an id that arrives from another window.',
        why: 'The server cannot tell windows apart; it only sees the id in the request.',
      },
    ],
  },
];

export default quiz;
