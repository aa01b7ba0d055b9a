// A class of readers: each visitor clicks, waits 0.1–0.3 s (a busy reader), clicks again, until told to
// stop. Requests are made with fetch, each answer read and checked (a count, a greeting), which a fixed
// request loop such as autocannon (bench/load.ts) cannot do.
import { sleep } from './context.ts';
import { type Sample, Visitor } from './visitor.ts';

export interface Crowd {
  visitors: Visitor[];
  samples: Sample[];
}

/**
 * Runs `count` visitors, visitor i doing `step(visitor, n, i)` for n = 0, 1, … until `stop` resolves; they
 * arrive spread over the first second. Resolves once every visitor's last request is answered.
 */
export async function runCrowd(
  origin: string,
  count: number,
  stop: Promise<unknown>,
  step: (visitor: Visitor, n: number, index: number) => Promise<void>,
  /** Visitor i's fetch (an address of its own, in public mode); the global fetch when not given. */
  fetcherOf?: (index: number) => typeof fetch,
): Promise<Crowd> {
  const samples: Sample[] = [];
  const visitors = Array.from(
    { length: count },
    (_, i) => new Visitor(origin, (s) => samples.push(s), fetcherOf?.(i)),
  );
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  await Promise.all(
    visitors.map(async (visitor, i) => {
      await sleep((i / count) * 1_000);
      for (let n = 0; !stopped; n++) {
        await step(visitor, n, i);
        await sleep(100 + Math.random() * 200);
      }
    }),
  );
  return { visitors, samples };
}
