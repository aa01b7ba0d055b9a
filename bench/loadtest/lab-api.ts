// What the load test asks the site itself: start a demo before the clock (its first request starts the
// worker), and which worker processes serve a demo (`/lab-api/status`), to name them in the memory
// tables and to pick one to kill.

/** The site's read-only answers, tried three times: a keep-alive connection the server closes as it is
 * reused fails with "other side closed" (an HTTP/1.1 race, not a server error). */
async function getJson(url: string): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url);
      const body = (await response.json()) as Record<string, unknown>;
      if (response.ok) return body;
      if (attempt === 3) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
    } catch (error) {
      if (attempt === 3) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Every demo this run started, to name any worker in a memory table, whichever phase started it. */
const started = new Set<string>();

/** Starts the demo at `base` (`/lab/counter/file/std/`) and waits until it answers its inspector. */
export async function warmUp(origin: string, base: string): Promise<void> {
  await getJson(`${origin}${base}_inspect`);
  started.add(base);
}

/** `counter/file/std` for `/lab/counter/file/std/`. */
export const variantOf = (base: string) => base.replace(/^\/lab\//, '').replace(/\/$/, '');

/** The pids of the demo's workers now. */
export async function workerPids(origin: string, base: string): Promise<number[]> {
  const status = await getJson(`${origin}/lab-api/status?variant=${variantOf(base)}`);
  return ((status.workers ?? []) as { pid?: number }[]).map((w) => w.pid).filter((pid) => pid !== undefined);
}

/**
 * Every pid that served a demo this run started, current or past (the demo's events say "started a
 * worker: pid N" and "worker #1 is back as pid M"), with the demo's name.
 */
export async function demoOfPid(origin: string): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const base of started) {
    const status = await getJson(`${origin}/lab-api/status?variant=${variantOf(base)}`);
    const events = (status.events ?? []) as { text: string }[];
    for (const { text } of events)
      for (const [, pid] of text.matchAll(/pid (\d+)/g)) names.set(Number(pid), variantOf(base));
    for (const worker of (status.workers ?? []) as { pid?: number }[])
      if (worker.pid !== undefined) names.set(worker.pid, variantOf(base));
  }
  return names;
}
