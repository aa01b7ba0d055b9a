// Responses built from a string remember that string, so the node:http adapter can write it as it is
// instead of reading the Response's body stream back into a Buffer. Reading a web stream costs more
// than the rest of a RAM-store request (bench/README.md); the bytes sent are the same either way.

const texts = new WeakMap<Response, string>();

/** `new Response(text, init)`, remembered as text. Apps and pages use it through `htmlPage`. */
export function textResponse(text: string, init?: ResponseInit): Response {
  const response = new Response(text, init);
  texts.set(response, text);
  return response;
}

/** The string a response was built from, while nobody has read its body; otherwise undefined. */
export function unreadText(response: Response): string | undefined {
  const text = texts.get(response);
  return text === undefined || response.bodyUsed ? undefined : text;
}

/** The same response with other headers: built from the text when it is known, else around the body. */
export function withHeaders(response: Response, headers: Headers): Response {
  const init = { status: response.status, statusText: response.statusText, headers };
  const text = unreadText(response);
  return text === undefined ? new Response(response.body, init) : textResponse(text, init);
}
