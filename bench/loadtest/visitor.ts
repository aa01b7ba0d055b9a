// One simulated reader of the site: its own cookies for each demo (each demo has its own cookie Path),
// every request it makes timed and recorded, and for each counting demo the clicks the server answered
// with 200 and the count it showed, so the phases can tell a lost increment from a lucky one.
import { Jar } from '../load.ts';

/** A demo whose every GET adds one to a number in the session, shown in `<output id="…">`. */
export interface CountingDemo {
  /** `counter/file`, `db-store/custom`: the key of the per-demo tables. */
  id: string;
  /** `/lab/counter/file/std/` */
  base: string;
  /** The session field the inspector shows (`pageViews` for the counter, `counter` for db-store). */
  field: string;
  /** The `<output>` element's id on the page. */
  outputId: string;
}

export function countingDemo(app: 'counter' | 'db-store', store: string, profile = 'std'): CountingDemo {
  return {
    id: `${app}/${store}`,
    base: `/lab/${app}/${store}/${profile}/`,
    field: app === 'counter' ? 'pageViews' : 'counter',
    outputId: app === 'counter' ? 'count' : 'counter',
  };
}

export interface Sample {
  demo: string;
  status: number; // 0: no answer (connection refused or cut, or nothing within REQUEST_TIMEOUT_MS)
  /** Whether the status was the one the step expects (200, or 303 for the name form's POST). */
  expected: boolean;
  /** A 5xx that is the site's clear error page: 502 or 503, with role="alert", and no stack trace. */
  clear: boolean;
  startedAt: number;
  ms: number;
}

/** What one visitor saw of one counting demo. */
export interface Tally {
  /** Clicks answered 200 with a count. */
  clicks: number;
  /** The count the last 200 showed. */
  last: number;
  /** Σ of the steps back: a 200 showing less than the last count + 1, but more than 1. */
  backwards: number;
  /** Times the count started again at 1 (the store lost the session), and the counts forgotten so. */
  restarts: number;
  forgotten: number;
  /** Σ of the steps forward beyond +1: increments kept for requests whose answer never came. */
  jumps: number;
}

export interface NameFormTally {
  ok: number;
  /** Page 3 answered 200 but did not greet the name just saved (escaped). */
  wrong: number;
  /** A step did not get its expected status (counted in the samples too). */
  failed: number;
}

const REQUEST_TIMEOUT_MS = 15_000;
const STACK_TRACE = /\n\s*at .+[:(]\d+:\d+/;

export class Visitor {
  readonly #jars = new Map<string, Jar>();
  readonly tallies = new Map<string, Tally>();
  readonly nameForms: NameFormTally = { ok: 0, wrong: 0, failed: 0 };
  readonly origin: string;
  readonly record: (sample: Sample) => void;
  /** How this visitor's requests go out: the global fetch, or one bound to an address of its own. */
  readonly fetch: typeof fetch;

  constructor(origin: string, record: (sample: Sample) => void, fetcher: typeof fetch = fetch) {
    this.origin = origin;
    this.record = record;
    this.fetch = fetcher;
  }

  #jar(base: string): Jar {
    let jar = this.#jars.get(base);
    if (!jar) {
      jar = new Jar();
      this.#jars.set(base, jar);
    }
    return jar;
  }

  /** A request as a browser sends it from the demo's own page; recorded; null when nothing came back. */
  async #send(
    demo: string,
    base: string,
    path: string,
    expectedStatus: number,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ status: number; text: string; location: string | null } | null> {
    const jar = this.#jar(base);
    const headers: Record<string, string> = jar.size > 0 ? { cookie: jar.header } : {};
    if (init.form) {
      // What a browser adds to a same-site form POST; the site refuses cross-site ones.
      Object.assign(headers, {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.origin,
        'sec-fetch-site': 'same-origin',
      });
    }
    const startedAt = Date.now();
    const started = performance.now();
    try {
      const response = await this.fetch(`${this.origin}${base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.form ? new URLSearchParams(init.form).toString() : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      jar.store(response.headers.getSetCookie());
      const { status } = response;
      const clear =
        (status === 502 || status === 503) && text.includes('role="alert"') && !STACK_TRACE.test(text);
      const ms = performance.now() - started;
      this.record({ demo, status, expected: status === expectedStatus, clear, startedAt, ms });
      return { status, text, location: response.headers.get('location') };
    } catch {
      const ms = performance.now() - started;
      this.record({ demo, status: 0, expected: false, clear: false, startedAt, ms });
      return null;
    }
  }

  /** One GET of a counting demo, checked against the count this visitor was shown before. */
  async click(demo: CountingDemo): Promise<void> {
    const answer = await this.#send(demo.id, demo.base, '', 200);
    if (answer?.status !== 200) return;
    const match = new RegExp(`<output id="${demo.outputId}">(\\d+)</output>`).exec(answer.text);
    const count = Number(match?.[1] ?? Number.NaN);
    const tally = this.tallies.get(demo.id) ?? {
      clicks: 0,
      last: 0,
      backwards: 0,
      restarts: 0,
      forgotten: 0,
      jumps: 0,
    };
    this.tallies.set(demo.id, tally);
    tally.clicks++;
    const expected = tally.last + 1;
    if (count === 1 && tally.last > 0) {
      tally.restarts++;
      tally.forgotten += tally.last;
    } else if (count < expected || Number.isNaN(count)) tally.backwards += expected - (count || 0);
    else if (count > expected) tally.jumps += count - expected;
    tally.last = Number.isNaN(count) ? tally.last : count;
  }

  /** The number as the store holds it now, through the read-only inspector; null without a session. */
  async storedCount(demo: CountingDemo): Promise<number | null> {
    const jar = this.#jar(demo.base);
    if (jar.size === 0) return null;
    // Tried three times: a keep-alive connection the server closes as it is reused fails with "other
    // side closed" (an HTTP/1.1 race, not a server error), and a store just back may answer 503 once.
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.fetch(`${this.origin}${demo.base}_inspect`, {
          headers: { cookie: jar.header },
        });
        const body = (await response.json()) as { data?: Record<string, unknown> | null };
        if (response.ok) return Number(body.data?.[demo.field] ?? 0);
        if (attempt === 3) throw new Error(`${demo.base}_inspect answered ${response.status}`);
      } catch (error) {
        if (attempt === 3) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** The name form: page 1, save a name (303), then page 3 must greet that name, escaped. */
  async nameForm(store: string, n: number): Promise<void> {
    const demo = `name-form/${store}`;
    const base = `/lab/name-form/${store}/std/`;
    const first = `Ada<${n}>`;
    const steps = [
      () => this.#send(demo, base, '', 200),
      () =>
        this.#send(demo, base, 'save', 303, {
          method: 'POST',
          form: { firstName: first, lastName: "O'Hara & co" },
        }),
      () => this.#send(demo, base, 'page3', 200),
    ];
    const expected = [200, 303, 200];
    let last: { status: number; text: string } | null = null;
    for (const [i, step] of steps.entries()) {
      last = await step();
      if (last?.status !== expected[i]) {
        this.nameForms.failed++;
        return;
      }
    }
    // Markup in a name comes back as text: `<` as &lt;.
    if (last?.text.includes(`Ada&lt;${n}&gt;`)) this.nameForms.ok++;
    else this.nameForms.wrong++;
  }
}
