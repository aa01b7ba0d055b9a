// The questions that close chapter 13 (shown by site/components/Quiz.astro; rules in site/lib/quiz/questions.ts).
import type { Question } from '../questions.ts';

const quiz: readonly Question[] = [
  {
    id: 'astro-get-async',
    prompt: 'Why is `Astro.session.get()` asynchronous while `set()` is not?',
    choices: [
      {
        text: 'Astro loads the session lazily on first use, and writes it once at the end of the request.',
        correct: true,
        why: 'The first `get` may have to read the store; `set` only changes the session in memory until the request ends.',
      },
      {
        text: 'Because `get` decrypts the cookie, which takes time.',
        why: 'The Astro cookie holds only the id; the data lives in the driver’s store.',
      },
      {
        text: 'Because `set` is not allowed to change anything until the next request.',
        why: 'The value is set at once; it is written to the store at the end of the request.',
      },
    ],
  },
  {
    id: 'astro-locking',
    prompt: 'Two parallel requests change the same Astro session. What can happen with the default settings?',
    choices: [
      {
        text: 'Nothing bad: Astro locks each session as Session Lab does.',
        why: 'Astro takes no lock: it writes the whole session at the end of each request.',
      },
      {
        text: 'One request’s changes overwrite the other’s, and with the default file driver a read that overlaps a write can find the file empty.',
        correct: true,
        why: 'No locking means lost updates (chapter 10); the file driver writes in place rather than through a rename.',
      },
      {
        text: 'The second request is refused with a 503.',
        why: 'That is Session Lab after `lockTimeout`. Astro neither waits nor refuses.',
      },
    ],
  },
  {
    id: 'astro-expiry',
    prompt: 'What does Astro’s `session.ttl` option do?',
    choices: [
      {
        text: 'It is an idle timeout for the whole session, like Session Lab’s `timeout`.',
        why: 'Astro has no idle or absolute timeout for a session as a whole.',
      },
      {
        text: 'It sets the cookie’s `Max-Age`.',
        why: 'That is `session.cookie.maxAge`, and it bounds the cookie’s life in the browser, not the data’s.',
      },
      {
        text: 'It gives each stored value a lifetime, in seconds; an expired value is only removed when it is read.',
        correct: true,
        why: 'So for a login, store the login time with the user id and check it yourself.',
      },
    ],
  },
  {
    id: 'astro-raw-ids',
    prompt: 'Why must an Astro session store be protected more carefully than a Session Lab one?',
    choices: [
      {
        text: 'Astro stores the session data unencrypted in the cookie.',
        why: 'Astro’s cookie holds only the id; the data is in the driver’s store.',
      },
      {
        text: 'Astro files each session under its raw id, so a listing of the session folder or the Redis keys is a list of working cookies.',
        correct: true,
        why: 'Session Lab files records under the SHA-256 hash of the id, which cannot be turned back into a cookie.',
      },
      {
        text: 'Astro’s ids have only 64 random bits.',
        why: 'They are UUIDs from `crypto.randomUUID()`, with 122 random bits: well above OWASP’s 64.',
      },
    ],
  },
];

export default quiz;
