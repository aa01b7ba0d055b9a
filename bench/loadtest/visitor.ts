// One simulated reader: a cookie jar per demo (each demo has its own cookie Path), the clicks it made,
// and what the server acknowledged. A "lost increment" is an acknowledged count the server later forgot.

export interface Sample {
  /** Which demo (`counter/file`, `name-form/ram`…), for the per-demo latency table. */
  demo: string;
  status: number;
  ms: number;
  /** A 5xx whose page says what happened (role="alert"), rather than a stack trace or nothing. */
  clear: boolean;
  at: number;
}

export class Visitor {
  readonly #cookies = new Map<string, string>();
  /** Per counter demo: the last count the server acknowledged with a 200. */
  readonly acknowledged = new Map<string, number>();
  /** Per counter demo: counts that went backwards (the server forgot an acknowledged increment). */
  readonly lost = new Map<string, number>();
  /** Per counter demo: counts that started again at 1 because the store itself lost its data. */
  readonly resets = new Map<string, number>();
  readonly origin: string;
  readonly record: (sample: Sample) => void;

  constructor(origin: string, record: (sample: Sample) => void) {
    this.origin = origin;
    this.record = record;
  }

  /** A request as a browser would send it from the demo's own page, timed and recorded. */
  async #send(demo: string, base: string, path: string, init: RequestInit = {}): Promise<Response | null> {
    const started = performance.now();
    const cookie = this.#cookies.get(base);
    try {
      const response = await fetch(`${this.origin}${base}${path}`, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(init.method === 'POST' ? { origin: this.origin, 'sec-fetch-site': 'same-origin' } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
        signal: AbortSignal.timeout(15_000),
      });
      for (const line of response.headers.getSetCookie()) {
        const pair = line.split(';', 1)[0] ?? '';
        if (/;\s*max-age=0\b/i.test(line)) this.#cookies.delete(base);
        else this.#cookies.set(base, pair);
      }
      const text = await response.text();
      const ms = performance.now() - started;
      const clear = response.status < 500 || text.includes('role="alert"');
      this.record({ demo, status: response.status, ms, clear, at: Date.now() });
      Object.defineProperty(response, 'bodyText', { value: text });
      return response;
    } catch {
      // A connection refused or reset, or no answer in 15 s: recorded as status 0.
      this.record({ demo, status: 0, ms: performance.now() - started, clear: false, at: Date.now() });
      return null;
    }
  }

  /** One click on a counter demo; checks the count against what was acknowledged before. */
  async clickCounter(store: string, profile = 'std', durable = true): Promise<void> {
    const demo = `counter/${store}`;
    const base = `/lab/counter/${store}/${profile}/`;
    const response = await this.#send(demo, base, '');
    if (response?.status !== 200) return;
    const count = countIn(bodyOf(response));
    const before = this.acknowledged.get(demo) ?? 0;
    if (count < before + 1) {
      // Counting again from 1 on a store that keeps nothing on disk (Redis here) is data loss the lesson
      // expects after a restart; on a durable store it is a lost write.
      const bucket = durable ? this.lost : this.resets;
      bucket.set(demo, (bucket.get(demo) ?? 0) + (before + 1 - count));
    }
    this.acknowledged.set(demo, count);
  }

  /** The counter as the store holds it now, through the read-only inspector. */
  async storedCount(store: string, profile = 'std'): Promise<number | null> {
    const base = `/lab/counter/${store}/${profile}/`;
    const cookie = this.#cookies.get(base);
    if (!cookie) return null;
    const response = await fetchTwice(`${this.origin}${base}_inspect`, { headers: { cookie } });
    const body = (await response.json()) as { data?: { pageViews?: number } | null };
    return body.data?.pageViews ?? 0;
  }

  /** The name form: page 1, save a name, then page 3 must greet that name. Returns false on a mismatch. */
  async nameForm(store: string, n: number): Promise<boolean> {
    const demo = `name-form/${store}`;
    const base = `/lab/name-form/${store}/std/`;
    await this.#send(demo, base, '');
    const first = `Ada<${n}>`;
    const saved = await this.#send(demo, base, 'save', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ firstName: first, lastName: "O'Hara & co" }).toString(),
    });
    if (saved?.status !== 303) return saved === null || saved.status >= 500;
    const page3 = await this.#send(demo, base, 'page3');
    if (page3?.status !== 200) return page3 === null || page3.status >= 500;
    // The name comes back escaped: `<` as &lt;, and the quote and ampersand as entities.
    return bodyOf(page3).includes(`Ada&lt;${n}&gt;`);
  }
}

function bodyOf(response: Response): string {
  return (response as Response & { bodyText?: string }).bodyText ?? '';
}

export function countIn(page: string): number {
  return Number(/<output id="count">(\d+)<\/output>/.exec(page)?.[1] ?? Number.NaN);
}

/**
 * fetch for the script's own read-only calls, tried twice: a keep-alive connection that the server
 * closes as it is reused fails with "other side closed" (an HTTP/1.1 race, not a server error).
 */
export async function fetchTwice(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}
