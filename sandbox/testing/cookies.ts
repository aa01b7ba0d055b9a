// The one test cookie jar. Store tests hand it to a store as the request's cookies (what a store sets,
// it gets back on the next call); TestClient (client.ts) keeps a browser's cookies in it from the
// Set-Cookie lines of each response and sends them back in a Cookie header.
import { parseCookieHeader } from '../engine/cookies.ts';
import type { RequestCookies, SetCookie } from '../engine/types.ts';

export class MemoryCookies implements RequestCookies {
  readonly secure = false;
  /** Name → value, as a browser would send them; tests may plant or read cookies here directly. */
  readonly values = new Map<string, string>();
  readonly written: SetCookie[] = [];

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  set(cookie: SetCookie): void {
    this.written.push(cookie);
    if (cookie.maxAgeSeconds === 0) this.values.delete(cookie.name);
    else this.values.set(cookie.name, cookie.value);
  }

  delete(name: string): void {
    this.set({ name, value: '', maxAgeSeconds: 0 });
  }

  /** Keeps what a response's Set-Cookie lines say; `Max-Age=0` or an empty value drops the cookie. */
  receive(setCookieLines: readonly string[]): void {
    for (const line of setCookieLines) {
      const [pair = ''] = line.split(';');
      for (const [name, values] of Object.entries(parseCookieHeader(pair))) {
        const value = values[0] ?? '';
        const dropped = /max-age=0/i.test(line) || value === '';
        this.set(dropped ? { name, value: '', maxAgeSeconds: 0 } : { name, value });
      }
    }
  }

  /** The Cookie header a browser holding these cookies sends ('' when it holds none). */
  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
