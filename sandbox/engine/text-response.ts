// Responses built from a string keep that string, so the node:http adapter can write it as it is. A
// web Response makes a byte stream for its body at once, and reading it back costs more than the rest
// of a RAM-store request (bench/RESULTS.md, "Making it fast"). This one makes the stream only when
// someone touches the body, and a Headers only when someone asks for them; to everyone else it is an
// ordinary Response.
import { HEADER_NAME, headerValue, REAL, standInFor } from './lazy-web.ts';

/** Statuses that must not carry a body (Fetch: "null body status"); `new Response(text, …)` throws. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** As `new Response(text)` (Fetch, "extract a body"): a string is text/plain unless told otherwise. */
const DEFAULT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Headers given as a plain object of strings, as Headers would hold them (names in lower case, values
 * stripped), or undefined for anything else (a Headers, pairs, a name or value Headers would refuse,
 * Set-Cookie): those go through a real Headers, with its errors.
 */
function plainHeaders(init: HeadersInit | undefined): Record<string, string> | undefined {
  const plain: Record<string, string> = {};
  if (init === undefined) return plain;
  if (Object.getPrototypeOf(init) !== Object.prototype || Object.getOwnPropertySymbols(init).length > 0)
    return undefined;
  for (const [name, raw] of Object.entries(init)) {
    if (typeof raw !== 'string' || !HEADER_NAME.test(name)) return undefined;
    const lower = name.toLowerCase();
    const value = headerValue(raw);
    if (value === undefined || lower === 'set-cookie' || lower === '__proto__' || lower in plain)
      return undefined;
    plain[lower] = value;
  }
  return plain;
}

/** The status and reason phrase `new Response` would accept as they are, or undefined. */
const REASON_PHRASE = /^[\t\x20-\x7E\x80-\xFF]*$/;
const plainStatus = (init: ResponseInit | undefined) =>
  (init?.status === undefined ||
    (Number.isInteger(init.status) && init.status >= 200 && init.status <= 599)) &&
  (init?.statusText === undefined ||
    (typeof init.statusText === 'string' && REASON_PHRASE.test(init.statusText)));

/**
 * `new Response(text, init)` without making one: status and headers are kept as given (a real Headers
 * is made when someone asks for `headers`), and a real Response with the body is made when someone
 * touches the body or anything else. `instanceof Response`, and answers like one.
 */
class TextResponse {
  readonly #text: string;
  readonly #status: number;
  readonly #statusText: string;
  /** The headers while nobody has asked for `headers` (which may change them). */
  #plain: Record<string, string> | undefined;
  #headers: Headers | undefined;
  /** The same text as an ordinary Response, made the first time the body is touched. */
  #streamed: Response | undefined;

  constructor(text: string, init?: ResponseInit) {
    this.#text = text;
    const plain = plainStatus(init) ? plainHeaders(init?.headers) : undefined;
    if (plain) {
      this.#status = init?.status ?? 200;
      this.#statusText = init?.statusText ?? '';
      plain['content-type'] ??= DEFAULT_TYPE;
      this.#plain = plain;
    } else {
      // Anything unusual is read (and refused, with the same error) by the real constructor.
      const probe = new Response(null, init);
      this.#status = probe.status;
      this.#statusText = probe.statusText;
      this.#headers = probe.headers;
      if (!this.#headers.has('content-type')) this.#headers.set('content-type', DEFAULT_TYPE);
    }
  }

  get status(): number {
    return this.#status;
  }

  get statusText(): string {
    return this.#statusText;
  }

  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }

  get type(): ResponseType {
    return 'default';
  }

  get url(): string {
    return '';
  }

  get redirected(): boolean {
    return false;
  }

  get bodyUsed(): boolean {
    return this.#streamed?.bodyUsed ?? false;
  }

  get headers(): Headers {
    if (!this.#headers) {
      this.#headers = new Headers(this.#plain);
      this.#plain = undefined;
    }
    return this.#headers;
  }

  /** The text, while nobody has touched the body. */
  get untouchedText(): string | undefined {
    return this.#streamed ? undefined : this.#text;
  }

  /** The headers as names and values, while nobody has asked for `headers` (none is Set-Cookie). */
  get untouchedHeaders(): Readonly<Record<string, string>> | undefined {
    return this.#plain;
  }

  [REAL](): Response {
    this.#streamed ??= new Response(this.#text, {
      status: this.#status,
      statusText: this.#statusText,
      headers: this.headers,
    });
    return this.#streamed;
  }

  clone(): Response {
    if (this.#streamed?.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    const init = { status: this.#status, statusText: this.#statusText, headers: this.headers };
    if (!this.#streamed) return new TextResponse(this.#text, init) as unknown as Response;
    // The body was touched: tee it, as Response.clone does, and keep one branch here.
    return new Response(this.#streamed.clone().body, init);
  }
}

// body and the body methods are the real Response's, as are undici's internal symbols.
standInFor(TextResponse.prototype, Response.prototype, Object.getOwnPropertySymbols(new Response('')));

/** `new Response(text, init)`, remembered as text. Apps and pages use it through `htmlPage`. */
export function textResponse(text: string, init?: ResponseInit): Response {
  // A status that forbids a body gets the ordinary constructor, and with it the same TypeError.
  if (init?.status !== undefined && NULL_BODY_STATUSES.has(init.status)) return new Response(text, init);
  return new TextResponse(text, init) as unknown as Response;
}

/** The string a response was built from, while nobody has touched its body; otherwise undefined. */
export function unreadText(response: Response): string | undefined {
  return response instanceof TextResponse ? response.untouchedText : undefined;
}

/**
 * The headers of a text response as names (lower case) and values, while nobody has asked for its
 * `headers`; otherwise undefined. None of them is Set-Cookie.
 */
export function untouchedHeaders(response: Response): Readonly<Record<string, string>> | undefined {
  return response instanceof TextResponse ? response.untouchedHeaders : undefined;
}

/** The same response with other headers: built from the text when it is known, else around the body. */
export function withHeaders(response: Response, headers: Headers): Response {
  const init = { status: response.status, statusText: response.statusText, headers };
  const text = unreadText(response);
  return text === undefined ? new Response(response.body, init) : textResponse(text, init);
}
