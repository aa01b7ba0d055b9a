// Chapter 10's "Try it", run with `npm run try:concurrency`: the slow counter on a real HTTP server on
// loopback, and parallel requests that all carry one session cookie, with locking off and on. Every
// figure it prints comes from this run; try-it.test.ts runs it and checks what the chapter says.
import { createServer } from 'node:http';
import { nodeListener } from '../../sandbox/cli/node-listener.ts';
import { DEFAULT_HOST, drain, listen } from '../../sandbox/cli/server.ts';
import { defineConfig, type LockingMode } from '../../sandbox/engine/config.ts';
import type { App } from '../../sandbox/engine/engine.ts';
import { html, htmlPage } from '../../sandbox/engine/html.ts';
import { Inspector } from '../../sandbox/inspector/inspector.ts';
import { ramStore } from '../../sandbox/stores/ram.ts';
import { createTransport } from '../../sandbox/transports/index.ts';
import { slowCounter } from './slow-counter.ts';

/** How many requests the burst sends at once: the chapter's demo button sends 20 too. */
export const BURST = 20;
/** The slow request of the exercise: long enough to outlast LOCK_TIMEOUT_S, short enough to wait for. */
const REPORT_MS = 2_000;
/** Shorter than the default 10 s so the run takes seconds; the queue behaves the same. */
const LOCK_TIMEOUT_S = 1;
const QUICK = 5;

interface Answer {
  status: number;
  ms: number;
}

interface Server {
  /** Sends one request with the session cookie (after the first, which gets it). */
  get(path: string): Promise<Answer>;
  /** The count the session holds now. */
  count(): Promise<number>;
  /** Settles when a /report request has loaded the session and started its slow work. */
  reportStarted: Promise<void>;
  close(): Promise<void>;
}

/** The slow counter, plus /report: it reads the count, works for REPORT_MS, and saves the count + 1. */
function withReport(started: () => void): App {
  return async (request, session, context) => {
    if (new URL(request.url).pathname !== '/report') return slowCounter(request, session, context);
    const count = Number(session.get('pageViews') ?? 0) + 1;
    started();
    await new Promise((resolve) => setTimeout(resolve, REPORT_MS));
    session.set('pageViews', count);
    return htmlPage('Report', html`<p>Report done; count: <output id="count">${count}</output></p>`);
  };
}

async function startServer(locking: LockingMode, lockTimeout = 10): Promise<Server> {
  const config = defineConfig({ locking, lockTimeout });
  const inspector = new Inspector(config, ramStore({ maxSessions: 10 }), createTransport(config));
  let started: () => void = () => {};
  const reportStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const app = withReport(started);
  let origin = '';
  const server = createServer(
    nodeListener(
      (request) => inspector.handle(request, app),
      () => origin,
    ),
  );
  origin = `http://${DEFAULT_HOST}:${await listen(server, 0, DEFAULT_HOST)}`;
  let cookie = '';
  const get = async (path: string): Promise<Answer> => {
    const start = performance.now();
    const response = await fetch(origin + path, { headers: cookie ? { cookie } : {} });
    await response.text(); // read to the end, so the time counts the whole answer
    const pair = response.headers.getSetCookie()[0]?.split(';')[0];
    if (pair && !cookie) cookie = pair;
    return { status: response.status, ms: performance.now() - start };
  };
  // The inspector's read-only view of the session (`/_inspect`): reading it counts nothing.
  const count = async () => {
    const response = await fetch(`${origin}/_inspect`, { headers: { cookie } });
    const { data } = (await response.json()) as { data: { pageViews?: number } | null };
    return data?.pageViews ?? 0;
  };
  return {
    get,
    count,
    reportStarted,
    close: async () => {
      await drain(server);
      await inspector.engine.close();
    },
  };
}

/** Sends `n` requests to `path` at once and waits for all of them. */
const parallel = (server: Server, path: string, n: number) =>
  Promise.all(Array.from({ length: n }, () => server.get(path)));

/** `5 × 200 after 21 ms to 24 ms`: the statuses with how many of each, and how long they took. */
function summary(answers: Answer[]): string {
  const counts = new Map<number, number>();
  for (const { status } of answers) counts.set(status, (counts.get(status) ?? 0) + 1);
  const statuses = [...counts].map(([status, n]) => `${n} × ${status}`).join(', ');
  const times = answers.map(({ ms }) => ms);
  const span = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  const [fastest, slowest] = [span(Math.min(...times)), span(Math.max(...times))];
  return `${statuses} after ${fastest === slowest ? fastest : `${fastest} to ${slowest}`}`;
}

/** The count's move, against the requests that answered 200 (each of which added one). */
function tally(answers: Answer[], moved: number): string {
  const counted = answers.filter(({ status }) => status === 200).length;
  return `the count moved by ${moved}: ${counted - moved} update(s) lost`;
}

async function burst(locking: LockingMode): Promise<string[]> {
  const server = await startServer(locking);
  try {
    await server.get('/'); // the session and its cookie exist before the burst
    const before = await server.count();
    const answers = await parallel(server, '/', BURST);
    const moved = (await server.count()) - before;
    return [
      `${BURST} requests at once, locking = ${locking}`,
      `  answers: ${summary(answers)}`,
      `  ${tally(answers, moved)}`,
    ];
  } finally {
    await server.close();
  }
}

async function slowAndQuick(locking: LockingMode): Promise<string[]> {
  const server = await startServer(locking, LOCK_TIMEOUT_S);
  try {
    await server.get('/');
    const before = await server.count();
    const reportSent = server.get('/report');
    await server.reportStarted; // the quick requests arrive while the report is at work
    const quick = await parallel(server, '/', QUICK);
    const report = await reportSent; // its save is done before the count is read
    const moved = (await server.count()) - before;
    return [
      `a ${REPORT_MS / 1000}-second report, then ${QUICK} quick requests, locking = ${locking}` +
        (locking === 'none' ? '' : `, lockTimeout = ${LOCK_TIMEOUT_S} s`),
      `  report: ${summary([report])}`,
      `  quick requests: ${summary(quick)}`,
      `  ${tally([report, ...quick], moved)}`,
    ];
  } finally {
    await server.close();
  }
}

const steps = [
  () => burst('none'),
  () => burst('auto'),
  () => slowAndQuick('auto'),
  () => slowAndQuick('none'),
];
console.log('Chapter 10, Try it: the slow counter (RAM store), requests sharing one session cookie\n');
for (const [i, step] of steps.entries()) {
  const [title, ...lines] = await step();
  console.log(`${i + 1}. ${title}\n${lines.join('\n')}\n`);
}
