// A browser stand-in without sockets (Hono's `app.request` habit): it keeps cookies like a browser
// and sends requests straight into any fetch-style handler.
import { MemoryCookies } from './cookies.ts';

export type Handler = (request: Request) => Promise<Response>;

export interface Sent {
  response: Response;
  text: string;
  setCookie: string[];
}

export class TestClient {
  readonly jar = new MemoryCookies();
  readonly #handler: Handler;
  readonly #origin: string;

  constructor(handler: Handler, origin = 'http://session.test') {
    this.#handler = handler;
    this.#origin = origin;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Sent> {
    return this.send(path, { method: 'GET', headers });
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Sent> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.#origin, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Sends one request with this client's cookies (unless a Cookie header is given) and keeps what comes back. */
  async send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Sent> {
    const headers = { ...(init.headers ?? {}) };
    if (!('cookie' in headers) && this.jar.values.size > 0) headers.cookie = this.jar.header();
    const response = await this.#handler(new Request(new URL(path, this.#origin), { ...init, headers }));
    const setCookie = response.headers.getSetCookie();
    this.jar.receive(setCookie);
    return { response, text: await response.text(), setCookie };
  }
}
