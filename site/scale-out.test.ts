// Two site instances behind one (non-sticky) proxy, sharing one shared state through
// SESSION_LAB_SHARED_URL: a reader whose requests alternate between them keeps working. Run once with
// Redis and once with PostgreSQL as the shared store, in databases of this run's own (acceptance-harness),
// in public mode behind a trusted proxy, as a class would be served. Ports 5110-5121 are this test's.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SHARED_ENV } from '../sandbox/shared/shared-state.ts';
import { locationFor } from '../sandbox/stores/locations.ts';
import { TestClient } from '../sandbox/testing/client.ts';
import { countOf, isolate, sleep } from './acceptance-harness.ts';
import { createLab, type Lab, PUBLIC_LIMITS } from './lab-server.ts';
import { parseLabPath } from './lib/lab/variant.ts';

const env = await isolate();
after(() => env.cleanup());

interface Instance {
  lab: Lab;
  origin: string;
  server: Server;
}

async function startInstance(sharedUrl: string, port: number): Promise<Instance> {
  const lab = createLab({
    PUBLIC: '1',
    SESSION_LAB_SECRET: 'shared-secret-of-the-class-'.padEnd(40, 'x'),
    SESSION_LAB_TRUST_PROXY: '1',
    [SHARED_ENV]: sharedUrl,
  });
  const server = createServer((req, res) => {
    if (!lab.router(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { lab, origin: `http://127.0.0.1:${port}`, server };
}

/** Retries `check` for up to 3 s: the shared state is written behind the response, not before it. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let waited = 0; !check(value) && waited < 3_000; waited += 25) {
    await sleep(25);
    value = await read();
  }
  return value;
}

const cases = [
  { kind: 'Redis', skip: env.skip.redis, store: 'redis', ports: [5110, 5111] },
  { kind: 'PostgreSQL', skip: env.skip.postgres, store: 'postgres', ports: [5120, 5121] },
] as const;

for (const { kind, skip, store, ports } of cases) {
  describe(`two site instances sharing ${kind} (${SHARED_ENV})`, { skip }, () => {
    let instances: Instance[] = [];
    before(async () => {
      // The isolated databases of this run: the demos' store and the site's shared state side by side.
      const url = locationFor(store === 'redis' ? 'redis' : 'postgres');
      instances = [await startInstance(url, ports[0]), await startInstance(url, ports[1])];
    });
    after(async () => {
      for (const { server, lab } of instances) {
        server.close();
        await lab.stop(); // every demo process this test started
      }
    });

    /** A reader behind the proxy (its own address): `on(i)` sends the next request to instance i. */
    const reader = (address: string) => {
      let target = 0;
      const client = new TestClient((request) => {
        const url = new URL(request.url);
        const headers = new Headers(request.headers);
        headers.set('x-forwarded-for', address);
        const origin = instances[target]?.origin ?? '';
        return fetch(`${origin}${url.pathname}${url.search}`, { headers, redirect: 'manual' });
      });
      return {
        on(index: number) {
          target = index;
          return client;
        },
      };
    };
    const base = `/lab/counter/${store}/std/`;

    it(`counts 1, 2, 3, 4 on the ${store} counter while requests alternate, and /_inspect on either shows the other's last exchange`, async () => {
      const visitor = reader('10.1.0.1');
      const counts = [];
      for (let click = 1; click <= 4; click++) {
        const page = await visitor.on(click % 2).get(`${base}?click=${click}`);
        assert.equal(page.response.status, 200, page.text);
        counts.push(countOf(page.text));
      }
      assert.deepEqual(counts, [1, 2, 3, 4]);

      const lastPath = async (on: number) => {
        const { text } = await visitor.on(on).get(`${base}_inspect`);
        return (JSON.parse(text) as { lastExchange: { path: string; status: number } | null }).lastExchange;
      };
      // Click 4 went to instance 0; instance 1's inspector (another process) shows it.
      const seenOn1 = await eventually(
        () => lastPath(1),
        (exchange) => exchange?.path === `${base}?click=4`,
      );
      assert.deepEqual(seenOn1, { ...seenOn1, path: `${base}?click=4`, status: 200 });
      assert.equal(countOf((await visitor.on(1).get(`${base}?click=5`)).text), 5);
      const seenOn0 = await eventually(
        () => lastPath(0),
        (exchange) => exchange?.path === `${base}?click=5`,
      );
      assert.equal(seenOn0?.path, `${base}?click=5`);
    });

    it(`refuses the ${PUBLIC_LIMITS.requestsPerMinute + 1}st request of a minute with 429 on whichever instance gets it`, async () => {
      const visitor = reader('10.1.0.2');
      const statuses = new Set<number>();
      for (let i = 0; i < PUBLIC_LIMITS.requestsPerMinute; i++) {
        statuses.add(
          (await visitor.on(i % 2).get('/lab-api/status?variant=counter/ram/std')).response.status,
        );
      }
      assert.deepEqual([...statuses], [200], 'half of them on each instance, all allowed');
      for (const on of [0, 1]) {
        const refused = await visitor.on(on).get('/lab-api/status?variant=counter/ram/std');
        assert.equal(refused.response.status, 429, `instance ${on}`);
        assert.match(refused.response.headers.get('retry-after') ?? '', /^\d+$/);
      }
      // Another reader behind the same proxy still has a budget of their own.
      assert.equal((await reader('10.1.0.3').on(1).get('/lab/nowhere/')).response.status, 404);
    });

    it("lists a crash on one instance in the other's /lab-api/status, beside its own workers", async () => {
      const visitor = reader('10.1.0.4');
      await visitor.on(0).get(base); // the demo runs on instance 0
      const variant = parseLabPath(base)?.variant;
      assert.ok(variant);
      const crashed = (await instances[0]?.lab.manager.status(variant))?.workers[0]?.pid;
      assert.ok(crashed, 'instance 0 runs the demo');
      process.kill(crashed, 'SIGKILL'); // a real crash, not the (public-mode refused) control button
      const status = async () => {
        const { text } = await visitor.on(1).get(`/lab-api/status?variant=counter/${store}/std`);
        return JSON.parse(text) as { workers: { pid: number }[]; events: { text: string }[] };
      };
      const onOther = await eventually(status, ({ events }) =>
        events.some((e) => e.text.includes(`(pid ${crashed}) killed by SIGKILL`)),
      );
      assert.ok(
        onOther.events.some((e) => e.text.includes(`(pid ${crashed}) killed by SIGKILL; restarting it`)),
        JSON.stringify(onOther.events),
      );
      assert.ok(!onOther.workers.some((w) => w.pid === crashed), "instance 1 lists its own workers, not 0's");
      // The durable store kept the count through the crash; instance 0's restarted worker serves it.
      const page = await eventually(
        () => visitor.on(0).get(base),
        (sent) => sent.response.status === 200,
      );
      assert.equal(countOf(page.text), 2);
    });

    it('cannot share a RAM demo: each instance has its own worker, so without sticky routing the count starts over', async () => {
      const visitor = reader('10.1.0.5');
      const counts = [];
      for (let click = 0; click < 4; click++)
        counts.push(countOf((await visitor.on(click % 2).get('/lab/counter/ram/std/')).text));
      // What docs/deploy.md says: route each visitor to one instance (nginx ip_hash or a cookie hash).
      assert.deepEqual(counts, [1, 1, 1, 1]);
    });
  });
}
