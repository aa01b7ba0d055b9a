// Masks the values of chosen `name=value` pairs in a Cookie header, a Set-Cookie line or a URL path,
// for the inspector. The same matches as the regular expression below, found by one pass over the
// characters, because the expression with a replacer function costs as much as a RAM-store load on every
// request. mask-pairs.test.ts holds the two to the same answers.

/** The pairs, as a regular expression: `name=value` after the start, `;`, `?`, `&` or white space. */
export const PAIR = /(^|[;?&\s])([^\s;=&?]+)=([^;&\s]*)/g;

/** JavaScript's `\s`: the white space and line terminators of ECMAScript. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `;`, `?`, `&` or white space: what may stand before a name. */
const isBoundary = (code: number) => code === 0x3b || code === 0x3f || code === 0x26 || isSpace(code);
/** What ends a name: a boundary or `=`. */
const endsName = (code: number) => code === 0x3d || isBoundary(code);
/** What ends a value: `;`, `&` or white space (a `?` or `=` belongs to it). */
const endsValue = (code: number) => code === 0x3b || code === 0x26 || isSpace(code);

/**
 * `text` with the value of every pair whose name `chosen` accepts replaced by `mask(value)`:
 * `text.replace(PAIR, …)`, without the regular expression.
 */
export function maskPairs(
  text: string,
  chosen: (name: string) => boolean,
  mask: (value: string) => string,
): string {
  let out = '';
  let copied = 0;
  let at = 0;
  while (at < text.length) {
    // As the expression: at the start a name may begin right here, else after one boundary character.
    let nameStart = -1;
    if (at === 0 && !endsName(text.charCodeAt(0))) nameStart = 0;
    else if (isBoundary(text.charCodeAt(at)) && at + 1 < text.length && !endsName(text.charCodeAt(at + 1)))
      nameStart = at + 1;
    if (nameStart < 0) {
      at++;
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < text.length && !endsName(text.charCodeAt(nameEnd))) nameEnd++;
    if (text.charCodeAt(nameEnd) !== 0x3d) {
      // No `=` after this name: the expression moves on by one character and tries again.
      at++;
      continue;
    }
    let valueEnd = nameEnd + 1;
    while (valueEnd < text.length && !endsValue(text.charCodeAt(valueEnd))) valueEnd++;
    const name = text.slice(nameStart, nameEnd);
    if (chosen(name)) {
      out += `${text.slice(copied, nameEnd + 1)}${mask(text.slice(nameEnd + 1, valueEnd))}`;
      copied = valueEnd;
    }
    at = valueEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
