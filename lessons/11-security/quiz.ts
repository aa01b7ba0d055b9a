// The questions that close chapter 11 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'httponly',
    prompt: 'An attacker runs a script in your page (XSS). What does `HttpOnly` on the session cookie stop?',
    choices: [
      {
        text: 'Everything: with `HttpOnly`, XSS cannot harm the session.',
        why: 'The script can still send requests, and the browser attaches the cookie to them. The real defence against XSS is escaping what you display.',
      },
      {
        text: 'The script reading the id through `document.cookie`; it can still send requests that carry the cookie.',
        correct: true,
        why: '`HttpOnly` hides the cookie from page scripts, while the browser still sends it with requests.',
      },
      {
        text: 'The browser sending the cookie over plain HTTP.',
        why: 'That is `Secure`. `HttpOnly` is about page scripts, not the network.',
      },
    ],
  },
  {
    id: 'fixation',
    prompt: 'Which pair of defences stops session fixation?',
    choices: [
      {
        text: 'A new id at every change of privilege (regenerate on login), and never adopting an id the server did not issue (strict mode).',
        correct: true,
        why: 'A planted id becomes worthless at login, and an invented id never becomes a session at all.',
      },
      {
        text: 'Encrypting the cookie and setting `HttpOnly`.',
        why: 'Fixation needs no stealing or reading: the attacker already knows the id, because they planted it.',
      },
      {
        text: 'A short idle timeout.',
        why: 'A timeout bounds how long an id works, but the victim logs in while the planted session is fresh.',
      },
    ],
  },
  {
    id: 'tamper',
    prompt: 'On the cookie store, you change one character of the data cookie. What does the server do?',
    choices: [
      {
        text: 'Decrypts it anyway and serves the changed data.',
        why: 'The signature (an HMAC-SHA256 with a server secret) no longer matches, so nothing tampered gets through.',
      },
      {
        text: 'Shows an error page naming the tampered cookie.',
        why: 'There is no error page: the visitor is simply a stranger again.',
      },
      {
        text: 'Throws the cookie away and starts a fresh session.',
        correct: true,
        why: 'A value whose signature fails is discarded; the server does not try to guess what was meant.',
      },
    ],
  },
  {
    id: 'samesite-lax',
    prompt:
      'With `SameSite=Lax`, when does the browser send the session cookie on a request started by another site?',
    choices: [
      {
        text: 'Never.',
        why: 'That is closer to `Strict`. `Lax` still sends it on top-level navigations with a safe method.',
      },
      {
        text: 'On a top-level navigation with a safe method such as `GET`, like following a link; not on cross-site POSTs, images or frames.',
        correct: true,
        why: 'This blocks the classic forged form POST. A `GET` that changes data is still reachable by a link, so real forms should also check `Origin` or carry a CSRF token.',
      },
      {
        text: 'On every request, as long as it uses HTTPS.',
        why: 'That describes `SameSite=None` with `Secure`.',
      },
    ],
  },
];

export default quiz;
