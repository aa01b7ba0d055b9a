// The lab's fence around the seed-faithful SQL (seed-faithful.ts): the one place in Session Lab where a
// statement is built from strings, so a visitor writes part of it. The injection must work, or the demo
// shows nothing; but on a shared public site one statement must not burn the server's CPU or memory
// (a recursive query, a million-row join, `zeroblob(1e9)`). So before such a statement runs, it is read
// token by token and refused unless it uses only a tiny SQL: string literals, small numbers, the scratch
// tables' own names, a few keywords, no functions at all, and at most a few table references.
// This fence is a lab safety rail, not a fix for injection: placeholders are the fix (session-functions.ts).

/** Longest statement the fence lets through (the seed's longest, with a value at its longest, fits). */
export const MAX_STATEMENT_LENGTH = 1_500;
/** Each table reference multiplies a join's rows; the scratch tables are small, so a few are harmless. */
export const MAX_TABLE_REFERENCES = 3;

const TABLES = new Set(['session_data', 'accounts']);
const COLUMNS = new Set(['sessionid', 'sessiondata', 'name', 'password_hash']);
// No function names, no WITH (recursive queries), no LIKE/GLOB (patterns can be slow), and nothing that
// makes SQLite sort or collect a join's rows (ORDER BY, UNION, DISTINCT, GROUP BY): a join is only scanned.
const KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'is',
  'null',
  'as',
  'limit',
  'insert',
  'into',
  'values',
  'delete',
]);
const PUNCTUATION = ['||', '<>', '!=', '<=', '>=', '(', ')', ',', '=', '<', '>', '*', '.', ';'];

export class FenceError extends Error {}

/** Throws a FenceError naming the first thing in `sql` that the fence does not let through. */
export function checkStatement(sql: string): void {
  if (sql.length > MAX_STATEMENT_LENGTH)
    throw new FenceError(`the statement is ${sql.length} characters long; at most ${MAX_STATEMENT_LENGTH}`);
  let tables = 0;
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith('--')) {
      const end = rest.indexOf('\n');
      i = end === -1 ? sql.length : i + end + 1;
      continue;
    }
    if (rest.startsWith('/*')) {
      const end = rest.indexOf('*/', 2);
      i = end === -1 ? sql.length : i + end + 2;
      continue;
    }
    if (rest.startsWith("'")) {
      i = endOfString(sql, i);
      continue;
    }
    const number = /^\d+/.exec(rest);
    if (number) {
      if (number[0].length > 6) throw new FenceError(`the number ${number[0].slice(0, 12)} is too large`);
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      const lower = word[0].toLowerCase();
      if (TABLES.has(lower)) {
        if (++tables > MAX_TABLE_REFERENCES)
          throw new FenceError(`more than ${MAX_TABLE_REFERENCES} table references`);
      } else if (!KEYWORDS.has(lower) && !COLUMNS.has(lower)) {
        throw new FenceError(`“${word[0].slice(0, 40)}” is not a word this demo lets through`);
      }
      i += word[0].length;
      continue;
    }
    const mark = PUNCTUATION.find((p) => rest.startsWith(p));
    if (!mark) throw new FenceError(`the character “${String.fromCodePoint(rest.codePointAt(0) ?? 0)}”`);
    i += mark.length;
  }
}

/** Where the string literal opening at `start` ends, as SQLite reads it: `''` inside is one quote. */
function endOfString(sql: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const quote = sql.indexOf("'", i);
    if (quote === -1) throw new FenceError('a string literal is never closed');
    if (sql[quote + 1] !== "'") return quote + 1;
    i = quote + 2;
  }
}
