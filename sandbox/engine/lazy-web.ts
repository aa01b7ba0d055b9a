// Lazy stand-ins for web objects (Request, Headers, Response): a plain class answers the members that
// are cheap to answer, and the real object, made on first need, answers everything else. Making the
// real ones (undici's internal state, a Headers, a body stream) was most of what the node:http adapter
// added to a request (bench/RESULTS.md, "Making it fast").
import { inspect } from 'node:util';

/** The real object behind a stand-in; a symbol, so no app sees a member the web class does not have. */
export const REAL = Symbol('session-lab.real');

interface StandIn {
  [REAL](): object;
}

/**
 * Makes `standIn` (a class prototype) inherit from `web` (the web class's prototype), so instances are
 * `instanceof` it, and gives it every member of `web` it does not define itself, answered by the real
 * object: getters and methods, listed from the prototype so a member a later Node adds is covered too.
 * `instanceSymbols` are the symbols undici keeps its state under on an instance and reads from anything
 * that passes `instanceof` (`new Request(request)`, `fetch(request)`): they are the real object's too.
 */
export function standInFor(standIn: object, web: object, instanceSymbols: symbol[] = []): void {
  for (const key of Reflect.ownKeys(web)) {
    if (key === 'constructor' || key === Symbol.toStringTag || key === inspect.custom) continue;
    if (Object.hasOwn(standIn, key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(web, key) as PropertyDescriptor;
    const get = descriptor.get;
    const method = descriptor.value as unknown;
    if (get) {
      Object.defineProperty(standIn, key, {
        get(this: StandIn) {
          return get.call(this[REAL]());
        },
      });
    } else if (typeof method === 'function') {
      Object.defineProperty(standIn, key, {
        value(this: StandIn, ...args: unknown[]) {
          return method.apply(this[REAL](), args);
        },
      });
    }
  }
  for (const symbol of instanceSymbols) {
    Object.defineProperty(standIn, symbol, {
      get(this: StandIn) {
        return (this[REAL]() as Record<symbol, unknown>)[symbol];
      },
    });
  }
  // console.log shows what the real object would.
  Object.defineProperty(standIn, inspect.custom, {
    value(this: StandIn, depth: number, options: object) {
      return inspect(this[REAL](), { ...options, depth });
    },
  });
  Object.setPrototypeOf(standIn, web);
}

/** RFC 9110 token: a valid header name (Headers throws on anything else). */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Leading or trailing HTTP whitespace, which Headers strips from a value. */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

const isHttpWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/**
 * A header value as Headers would keep it (HTTP whitespace stripped from both ends), or undefined where
 * Headers would throw (NUL, CR or LF inside, or a character beyond one byte). One pass over the
 * characters: two regular expressions per value cost more than the rest of reading a header.
 */
export function headerValue(value: string): string | undefined {
  const last = value.length - 1;
  if (last >= 0 && (isHttpWhitespace(value.charCodeAt(0)) || isHttpWhitespace(value.charCodeAt(last))))
    value = value.replace(EDGE_WHITESPACE, '');
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 0x0a || code === 0x0d || code > 0xff) return undefined;
  }
  return value;
}
