// A web Request for a body-less node:http request (GET, HEAD) that is built only when someone needs
// more than `method`, `url` and `headers.get`/`has`. Building undici's Request (URL parse, AbortSignal,
// internal state) and its Headers was the largest item the adapter added to a request, and the engine
// and most apps never look further (bench/RESULTS.md, "Making it fast"; the idea is @hono/node-server's).
// Everything else goes to the real object, made once from the same method, URL and headers; undici's
// internals too, so `new Request(request)`, `fetch(request)` and `new Headers(request.headers)` work.
import { HEADER_NAME, headerValue, REAL, standInFor } from '../engine/lazy-web.ts';

/** The request's headers, read from node's rawHeaders until someone needs a real Headers. */
class LazyHeaders {
  readonly #raw: readonly string[];
  #real: Headers | undefined;

  constructor(raw: readonly string[]) {
    this.#raw = raw;
  }

  /** As Headers.get: every value under the name, in order, joined by `, ` (by `; ` for Cookie). */
  get(name: string): string | null {
    if (this.#real || typeof name !== 'string' || !HEADER_NAME.test(name)) return this[REAL]().get(name);
    const wanted = name.toLowerCase();
    const raw = this.#raw;
    let found: string | null = null;
    for (let i = 0; i < raw.length; i += 2) {
      if ((raw[i] as string).toLowerCase() !== wanted) continue;
      const value = headerValue(raw[i + 1] as string);
      if (value === undefined) return this[REAL]().get(name);
      found = found === null ? value : `${found}${wanted === 'cookie' ? '; ' : ', '}${value}`;
    }
    return found;
  }

  has(name: string): boolean {
    if (this.#real || typeof name !== 'string' || !HEADER_NAME.test(name)) return this[REAL]().has(name);
    return this.get(name) !== null;
  }

  /** Our own iterator, so `new Headers(this)` copies the pairs instead of reading undici's private list. */
  [Symbol.iterator](): ReturnType<Headers['entries']> {
    return this[REAL]().entries();
  }

  [REAL](): Headers {
    if (!this.#real) {
      const headers = new Headers();
      const raw = this.#raw;
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
      this.#real = headers;
    }
    return this.#real;
  }
}

standInFor(LazyHeaders.prototype, Headers.prototype);

class LazyRequest {
  readonly #method: string;
  readonly #url: string;
  readonly #rawHeaders: readonly string[];
  #headers: LazyHeaders | undefined;
  #real: Request | undefined;

  constructor(method: string, url: string, rawHeaders: readonly string[]) {
    this.#method = method;
    this.#url = url;
    this.#rawHeaders = rawHeaders;
  }

  get method(): string {
    return this.#method;
  }

  get url(): string {
    return this.#url;
  }

  get headers(): Headers {
    if (this.#real) return this.#real.headers;
    this.#headers ??= new LazyHeaders(this.#rawHeaders);
    return this.#headers as unknown as Headers;
  }

  /**
   * The real Request. It copies the headers, with any change made to them so far; from then on
   * `headers` is the real Request's own, so a later change reaches clone() and fetch() too.
   */
  [REAL](): Request {
    this.#real ??= new Request(this.#url, {
      method: this.#method,
      headers: this.#headers ? this.#headers[REAL]() : new LazyHeaders(this.#rawHeaders)[REAL](),
    });
    return this.#real;
  }
}

standInFor(
  LazyRequest.prototype,
  Request.prototype,
  Object.getOwnPropertySymbols(new Request('http://localhost/')),
);

/**
 * A Request without a body (GET or HEAD) at `url`, which must already be in the form `new Request`
 * would give it (`requestUrl`). It is `instanceof Request` and answers like one.
 */
export function lazyRequest(method: string, url: string, rawHeaders: readonly string[]): Request {
  return new LazyRequest(method, url, rawHeaders) as unknown as Request;
}

/**
 * A request-target the URL parser leaves as it is: an absolute path whose segments start with neither
 * `.` nor `%` (so none is a dot segment, `.`, `..`, `%2e`…), then an optional query, in characters that
 * are never percent-encoded. Anything else takes the parser.
 */
const PLAIN_TARGET =
  /^(?:\/(?:[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@%-]*)?)+(?:\?[A-Za-z0-9._~!$&()*+,;=:@%/?-]*)?$/;

let lastOrigin = '';
let lastOriginIsPlain = false;

/**
 * `new Request(origin + target).url`, without parsing the URL when it would come out unchanged: the
 * origin as `URL.origin` writes it (lower case, no default port) and a plain target. Throws a TypeError,
 * as `new Request` does, for a target that makes no URL (`*`, `http://other/` in absolute form).
 */
export function requestUrl(origin: string, target: string): string {
  if (origin !== lastOrigin) {
    lastOrigin = origin;
    lastOriginIsPlain = URL.canParse(origin) && new URL(origin).origin === origin;
  }
  const url = origin + target;
  return lastOriginIsPlain && PLAIN_TARGET.test(target) ? url : new URL(url).href;
}
