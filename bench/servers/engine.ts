// The Session Lab engine on one store, served by the CLI's node:http listener: the same path a learner
// runs with `npm run sandbox`. The app is the counter, answering with the bench's shared page as a
// Response built from a string, as `htmlPage` and so every lesson app does.
import { join } from 'node:path';
import { nodeListener } from '../../sandbox/cli/node-listener.ts';
import { defineConfig } from '../../sandbox/engine/config.ts';
import { parseCookieHeader } from '../../sandbox/engine/cookies.ts';
import type { App } from '../../sandbox/engine/engine.ts';
import { hashId, isWellFormedId } from '../../sandbox/engine/ids.ts';
import type { RequestCookies } from '../../sandbox/engine/types.ts';
import { Inspector } from '../../sandbox/inspector/inspector.ts';
import { createStore } from '../../sandbox/stores/index.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { counterPage } from '../page.ts';
import { BackendMissing, BENCH_SECRET, type CreateServer } from './types.ts';

const HTML = { 'content-type': 'text/html; charset=utf-8' };

const counter: App = (_request, session) => {
  const count = Number(session.get('pageViews') ?? 0) + 1;
  session.set('pageViews', count);
  return new Response(counterPage(count), { headers: HTML });
};

/** For store calls made outside a request (the probe, the clean-up). */
const NO_COOKIES: RequestCookies = { secure: false, get: () => undefined, set() {}, delete() {} };

export const create: CreateServer = async ({ dir, storageType = 'ram' }) => {
  const config = defineConfig({
    storageType,
    storageFileDir: join(dir, 'sessions'),
    secrets: [BENCH_SECRET],
    ...(storageType === 'sqlite' ? { databaseUrl: join(dir, 'sessions.sqlite') } : {}),
  });
  const store = await reachable(storageType, () => createStore(config));
  await reachable(storageType, () => store.load(hashId('bench-probe'), NO_COOKIES));
  // The inspector answers the bench's read-only `_inspect` probe, as it does in the sandbox.
  const inspector = new Inspector(config, store, createTransport(config));
  const { engine } = inspector;
  const origin = 'http://127.0.0.1';
  return {
    listener: nodeListener(
      (request) => inspector.handle(request, counter),
      () => origin,
    ),
    async close(cookieHeaders) {
      for (const header of cookieHeaders) {
        const id = parseCookieHeader(header)[config.cookieName]?.[0];
        if (id && isWellFormedId(id) && store.destroy) await store.destroy(hashId(id), NO_COOKIES);
      }
      await engine.close();
    },
  };
};

/** Runs a first store call; a missing module, a refused connection or 3 s of silence mean "skip". */
async function reachable<T>(storageType: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3_000);
      }),
    ]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes(`stores/${storageType}.ts`))
      throw new BackendMissing(`sandbox/stores/${storageType}.ts does not exist yet`);
    throw new BackendMissing(`${storageType} store unavailable: ${e.message.split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
  }
}
