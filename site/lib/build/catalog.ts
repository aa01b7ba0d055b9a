// One sentence per lesson app for the /demos/ index. `satisfies` makes a new app in lessons/apps.ts
// a type error here until it has its sentence.
import type { AppName } from '../../../lessons/apps.ts';

export const DEMO_BLURBS = {
  'name-form':
    'Type your first and last name on page 1; pages 2 and 3 greet you by name because only the session id travels between them.',
  forgetful:
    'The same form with no session at all: the page that receives your name greets you, and the very next page has forgotten it.',
  counter:
    'Counts your page views in the session: the smallest app that shows where a session lives and what happens when it is lost.',
  'slow-counter':
    'A counter that pauses between reading and writing its number, so parallel requests overlap and, without a lock, overwrite each other.',
  'seed-flaws':
    "Runs the seed's own save and load functions beside the fixed ones on a scratch database of your own: an injected value reads another table, a stored type wipes a table, a delete-then-insert loses sessions.",
  'db-store':
    'Stores sessions in a session_data table through your own save and load functions, and shows the live rows next to the app.',
  login:
    'Sign in as alice or bob, see the id change, sign out, end every session of the account, change the password, and try "remember me".',
} as const satisfies Record<AppName, string>;
