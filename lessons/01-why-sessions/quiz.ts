// The questions that close chapter 1 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'second-request',
    prompt: 'In the forgetful demo, the greeting works right after the form but not one click later. Why?',
    choices: [
      {
        text: 'The names were in the form submission, and the next request for a page does not carry them.',
        correct: true,
        why: 'Each HTTP request stands alone: the server can print what that one request carries, and the plain request for the next page carries no names.',
      },
      {
        text: 'The server stored the names, but deleted them when the response had been sent.',
        why: 'The forgetful app never stores anything. Nothing is deleted: there is nothing kept between requests in the first place.',
      },
      {
        text: 'The browser forgets the names because the page set no `Expires` date.',
        why: 'No cookie is involved at all: the inspector shows none set and none sent. The names simply are not in the second request.',
      },
    ],
  },
  {
    id: 'what-the-cookie-holds',
    prompt: 'With the session version, what does the `Cookie` header carry on every later request?',
    choices: [
      {
        text: 'The first and last name, so the server can print them.',
        why: 'That would be client-side state (chapter 2). Here the names stay on the server; the cookie holds only the key to them.',
      },
      {
        text: 'A session id: the key the server uses to look up the names it stored.',
        correct: true,
        why: 'The server keeps the data and the browser keeps a key to it. That is the whole trick of sessions.',
      },
      {
        text: 'Nothing the server reads: the cookie only tells the browser the page is cached.',
        why: 'The server reads the id from the `Cookie` header on every request to find the session. Without it, the visitor is a stranger again.',
      },
    ],
  },
  {
    id: 'cookie-cleared',
    prompt: 'You clear the cookies of one browser and reload the session demo. What happens?',
    choices: [
      {
        text: 'The page still greets you: the server recognises your IP address.',
        why: 'The server finds a session only through the id the browser sends. Without the cookie, nothing links the request to the old session.',
      },
      {
        text: 'The server deletes your session at once, because the cookie was removed.',
        why: 'The server never learns that a cookie was cleared. The old session stays stored until it expires, with nobody holding its key.',
      },
      {
        text: 'The page asks for your names again: the request arrives without an id, so you are a new visitor.',
        correct: true,
        why: 'No id, no session. The old session still exists on the server for a while, but is unreachable until it expires (chapter 9).',
      },
    ],
  },
];

export default quiz;
