// A cookie jar for store tests without HTTP: what a store sets, it gets back on the next call.
import type { RequestCookies, SetCookie } from '../engine/types.ts';

export class MemoryCookies implements RequestCookies {
  readonly secure = false;
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
}
