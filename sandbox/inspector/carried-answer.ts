// The `?after=` answer rides in its response's head as well as in its body. The site's inspector asks as
// a click leaves the demo page, and its answer then races the frame's next page for the browser's main
// thread: the head reaches the page in one task, the body in later ones, which committing the frame's
// new document (tens of milliseconds) often comes before. Read from the head, the answer is drawn first.
// Imported by the inspector (inspector.ts) and by the site's (site/lib/demo/api.ts); no Node APIs.
import type { InspectAnswer } from './answer.ts';

export const CARRIED_ANSWER_HEADER = 'x-inspect-answer';

/**
 * Header values stay well under what a proxy accepts for a whole head (Node parses 16 KB): a larger
 * answer goes in the body only, and is read from there.
 */
const MAX_CARRIED_CHARS = 8 * 1024;

/** The answer's JSON as a header value (ASCII: percent-encoded), or null when it is too large to carry. */
export function carriedAnswer(json: string): string | null {
  const value = encodeURIComponent(json);
  return value.length <= MAX_CARRIED_CHARS ? value : null;
}

/** The answer a response head carries, or null when it carries none (or a broken one). */
export function readCarriedAnswer(value: string | null): InspectAnswer | null {
  if (value === null) return null;
  try {
    return JSON.parse(decodeURIComponent(value)) as InspectAnswer;
  } catch {
    return null;
  }
}
