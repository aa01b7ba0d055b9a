// autocannon, in this process: N keep-alive connections, each holding one session's cookies for the
// whole run, and every response's latency kept exactly (autocannon's own histogram rounds to whole ms).
import autocannon from 'autocannon';

/** One connection's cookies, as a `Cookie` header; updated from Set-Cookie when `follow` is on. */
export class Jar {
  readonly #values = new Map<string, string>();

  get header(): string {
    return [...this.#values].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Takes `Set-Cookie` values: `name=value; Path=/; …`. Max-Age=0 removes the cookie. */
  store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      if (/;\s*max-age=0(\s*;|$)/i.test(line)) this.#values.delete(name);
      else this.#values.set(name, pair.slice(eq + 1).trim());
    }
  }

  get size(): number {
    return this.#values.size;
  }
}

export interface LoadOptions {
  url: string;
  seconds: number;
  /** One per connection; none means the connections send no cookie (the bare server). */
  jars: Jar[];
  connections: number;
  /**
   * Keep each connection's jar up to date from every response. Only the cookie store needs it (its
   * data travels in the cookie); it costs the load generator a rebuilt request per request.
   */
  follow: boolean;
}

export interface LoadResult {
  seconds: number;
  /** Responses received (any status). */
  responses: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
}

export function load(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Latencies();
  const jarFor = (i: number) => options.jars[i % options.jars.length];
  let next = 0;
  const base = { url: options.url, connections: options.connections, duration: options.seconds, timeout: 10 };
  const perConnection = options.follow
    ? {
        requests: [
          {
            method: 'GET',
            path: new URL(options.url).pathname,
            // Cloned per connection by autocannon, so each connection keeps its own index here.
            state: { index: -1 },
            setupRequest(request: { state: { index: number }; headers: Record<string, string> }) {
              if (request.state.index < 0) request.state.index = next++;
              const jar = jarFor(request.state.index);
              request.headers = jar ? { ...request.headers, cookie: jar.header } : request.headers;
              return request;
            },
            onResponse(
              this: { state: { index: number } },
              _status: number,
              _body: string,
              _context: unknown,
              headers: Record<string, string | string[]>,
            ) {
              const set = headers['set-cookie'] ?? headers['Set-Cookie'];
              if (set) jarFor(this.state.index)?.store(Array.isArray(set) ? set : [set]);
            },
          },
        ],
      }
    : {
        setupClient(client: { setHeaders(headers: Record<string, string>): void }) {
          const jar = jarFor(next++);
          if (jar) client.setHeaders({ cookie: jar.header });
        },
      };
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const instance = autocannon(
      { ...base, ...perConnection } as Parameters<typeof autocannon>[0],
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        resolve({
          seconds,
          responses: latencies.count,
          requestsPerSecond: latencies.count / options.seconds,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          p50: latencies.percentile(50),
          p99: latencies.percentile(99),
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) =>
      latencies.add(ms),
    );
  });
}

/** Every latency of a run, in ms, for exact percentiles. */
export class Latencies {
  #values = new Float64Array(1 << 16);
  count = 0;

  add(ms: number): void {
    if (this.count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.count++] = ms;
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const sorted = this.#values.slice(0, this.count).sort();
    return sorted[Math.min(this.count - 1, Math.ceil((p / 100) * this.count) - 1)] ?? Number.NaN;
  }
}
