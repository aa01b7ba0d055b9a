// The cookies each recent exchange set, in this process, for `_inspect?after=`. The site's inspector asks
// as a click leaves the demo page, so its request carries the cookies the browser had before the click;
// with the cookie store those cookies ARE the session. The inspection therefore lays what the click's
// response set over the cookies it carries, and shows the state after the click. Values stay in this
// process (never in the shared exchange log) and only briefly; bounded, so a flood keeps nothing long.
import type { CookieValues } from '../engine/cookies.ts';

/** A cookie as the response set it, under its name on the wire: a value, or null when it was deleted. */
export type CookieChange = readonly [name: string, value: string | null];

export interface RecentSet {
  at: number;
  /** Whether the exchange ended a page (not a redirect). */
  final: boolean;
  changes: CookieChange[];
}

/** How long an exchange's cookies are kept: an inspection asked for its click well before that. */
const KEPT_MS = 10_000;
/** Exchanges kept at most, over all sessions (a sealed data cookie is up to 4 KB). */
const MAX_KEPT = 256;

export class RecentCookies {
  /** Session key → its recent exchanges that set cookies, oldest first; the Map in order of last use. */
  readonly #byKey = new Map<string, RecentSet[]>();
  #count = 0;

  /** Remembers what one exchange of `key` set; an exchange that set nothing is not kept. */
  record(key: string, entry: RecentSet): void {
    if (entry.changes.length === 0) return;
    const list = this.#take(key);
    list.push(entry);
    this.#count++;
    this.#byKey.set(key, list);
    while (this.#count > MAX_KEPT) {
      const [oldestKey, oldest] = this.#byKey.entries().next().value as [string, RecentSet[]];
      oldest.shift();
      this.#count--;
      if (oldest.length === 0) this.#byKey.delete(oldestKey);
    }
  }

  /** The exchanges of `key` later than `after` that set cookies, oldest first. */
  since(key: string, after: number): RecentSet[] {
    const list = this.#byKey.get(key);
    if (!list) return [];
    const fresh = Date.now() - KEPT_MS;
    while (list.length > 0 && (list[0] as RecentSet).at < fresh) {
      list.shift();
      this.#count--;
    }
    if (list.length === 0) this.#byKey.delete(key);
    return list.filter((entry) => entry.at > after);
  }

  #take(key: string): RecentSet[] {
    const list = this.#byKey.get(key) ?? [];
    this.#byKey.delete(key); // re-inserted last: the Map stays in order of last use
    return list;
  }
}

/** `received` with the changes laid over it in order: a later Set-Cookie replaces, a deletion removes. */
export function afterChanges(received: CookieValues, sets: readonly RecentSet[]): CookieValues {
  const cookies = { ...received };
  for (const { changes } of sets) {
    for (const [name, value] of changes) {
      if (value === null) delete cookies[name];
      else cookies[name] = [value];
    }
  }
  return cookies;
}
