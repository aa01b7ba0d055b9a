// Responses built from a string keep that string, so the node:http adapter can write it as it is. A
// web Response makes a byte stream for its body at once, and reading it back costs more than the rest
// of a RAM-store request (bench/README.md, "Making it fast"). This one makes the stream only when
// someone touches the body; to everyone else it is an ordinary Response.

/** Statuses that must not carry a body (Fetch: "null body status"); `new Response(text, …)` throws. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

class TextResponse extends Response {
  readonly #text: string;
  /** The same text as an ordinary Response, made the first time the body is touched. */
  #streamed: Response | undefined;

  constructor(text: string, init?: ResponseInit) {
    super(null, init);
    this.#text = text;
    // As `new Response(text)` does (Fetch, "extract a body"): a string is text/plain unless told otherwise.
    if (!this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
  }

  /** The text, while nobody has touched the body. */
  get untouchedText(): string | undefined {
    return this.#streamed ? undefined : this.#text;
  }

  #body(): Response {
    this.#streamed ??= new Response(this.#text, { headers: this.headers });
    return this.#streamed;
  }

  override get body(): Response['body'] {
    return this.#body().body;
  }

  override get bodyUsed(): boolean {
    return this.#streamed?.bodyUsed ?? false;
  }

  override arrayBuffer(): ReturnType<Response['arrayBuffer']> {
    return this.#body().arrayBuffer();
  }

  override blob(): Promise<Blob> {
    return this.#body().blob();
  }

  override bytes(): ReturnType<Response['bytes']> {
    return this.#body().bytes();
  }

  override formData(): Promise<FormData> {
    return this.#body().formData();
  }

  override json(): Promise<unknown> {
    return this.#body().json();
  }

  override text(): Promise<string> {
    return this.#body().text();
  }

  override clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    const init = { status: this.status, statusText: this.statusText, headers: this.headers };
    if (!this.#streamed) return new TextResponse(this.#text, init);
    // The body was touched: tee it, as Response.clone does, and keep one branch here.
    return new Response(this.#streamed.clone().body, init);
  }
}

/** `new Response(text, init)`, remembered as text. Apps and pages use it through `htmlPage`. */
export function textResponse(text: string, init?: ResponseInit): Response {
  // A status that forbids a body gets the ordinary constructor, and with it the same TypeError.
  if (init?.status !== undefined && NULL_BODY_STATUSES.has(init.status)) return new Response(text, init);
  return new TextResponse(text, init);
}

/** The string a response was built from, while nobody has touched its body; otherwise undefined. */
export function unreadText(response: Response): string | undefined {
  return response instanceof TextResponse ? response.untouchedText : undefined;
}

/** The same response with other headers: built from the text when it is known, else around the body. */
export function withHeaders(response: Response, headers: Headers): Response {
  const init = { status: response.status, statusText: response.statusText, headers };
  const text = unreadText(response);
  return text === undefined ? new Response(response.body, init) : textResponse(text, init);
}
