// The engine reports only the Set-Cookie lines of the last exchange that set any cookie, so a cookie
// set earlier (the id, when the cookie store has since rewritten its data cookie) would lose its
// attributes. The inspector remembers every line it has seen, per demo path, for this browser tab.
import type { SeenLine } from './cookie-columns.ts';

const PREFIX = 'session-lab:set-cookie:';
/** Enough for every cookie of a demo several times over; older lines only ever describe gone values. */
const KEPT = 16;
const fallback = new Map<string, SeenLine[]>();

function read(storage: Storage | undefined, base: string): SeenLine[] {
  try {
    const raw = storage?.getItem(PREFIX + base);
    return raw ? (JSON.parse(raw) as SeenLine[]) : (fallback.get(base) ?? []);
  } catch {
    return fallback.get(base) ?? [];
  }
}

/** Adds `lines` (newest first, no duplicates) and returns everything remembered for `base`. */
export function rememberLines(storage: Storage | undefined, base: string, lines: SeenLine[]): SeenLine[] {
  const fresh = lines.map((l) => l.line);
  const all = [...lines, ...read(storage, base).filter((l) => !fresh.includes(l.line))].slice(0, KEPT);
  fallback.set(base, all);
  try {
    storage?.setItem(PREFIX + base, JSON.stringify(all));
  } catch {
    // Storage full or refused (private mode): the in-memory copy still serves this page.
  }
  return all;
}
