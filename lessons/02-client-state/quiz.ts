// The questions that close chapter 2 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'hidden-fields-link',
    prompt:
      'A site carries the names in hidden form fields. The visitor clicks a plain menu link. What happens?',
    choices: [
      {
        text: 'The names are lost: a plain link sends no form data.',
        correct: true,
        why: 'Hidden fields only travel when a form is submitted. One click on an ordinary link and the names are gone.',
      },
      {
        text: 'The browser adds the hidden fields to the link for you.',
        why: 'Browsers do nothing of the sort; that is what the URL-parameter approach asks the server to do on every link it writes.',
      },
      {
        text: 'Nothing changes: hidden fields are kept by the browser like cookies.',
        why: 'Hidden fields live in one page’s form. Only cookies are kept by the browser and sent back on their own.',
      },
    ],
  },
  {
    id: 'url-leaks',
    prompt: 'Why is a login in a URL parameter “a disaster”?',
    choices: [
      {
        text: 'URLs are limited to 4 KB, so the login may be cut off.',
        why: 'Size is a separate cost. The chapter’s point is that addresses are copied to places you do not control.',
      },
      {
        text: 'The address is copied into history, bookmarks, shared links, server and proxy logs, and possibly the `Referer` sent to the next site.',
        correct: true,
        why: 'Anything in a URL travels further than you think, and whoever holds it can use it.',
      },
      {
        text: 'Browsers refuse to follow links whose query string holds a password.',
        why: 'Browsers follow such links without complaint; that is exactly why the leak goes unnoticed.',
      },
    ],
  },
  {
    id: 'signed-not-replay',
    prompt: 'Session Lab’s cookie store signs and encrypts the data cookie. What can a visitor still do?',
    choices: [
      {
        text: 'Change one character of the value and have the server accept the edit.',
        why: 'The signature no longer matches, so the server throws the cookie away and treats the visitor as new.',
      },
      {
        text: 'Read the names in the cookie’s value.',
        why: 'The value is encrypted as well as signed, so it looks like noise.',
      },
      {
        text: 'Keep an old cookie and send it again later, for example one from before a permission was removed.',
        correct: true,
        why: 'Signing stops changes, not replay: an old, unchanged cookie still has a valid signature. Server-side data does not have this problem.',
      },
    ],
  },
];

export default quiz;
