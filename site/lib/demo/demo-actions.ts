// The demo's buttons. Each one does the real thing (a lab POST, a process control, real parallel
// requests), reloads the demo page, and returns one sentence for the live region.
import { control, type InspectAnswer, labAction, status } from './api.ts';
import { burstSummary, countStatuses, numericChanges } from './burst.ts';
import { parseSetCookie } from './cookie-columns.ts';
import type { DemoHost } from './demo-host.ts';
import { storeOutcome } from './exchange.ts';
import { restartOutcome } from './restart-outcome.ts';
import { idForAddress, idForm, withId } from './transport-id.ts';

/** How long to watch a restarted or crashed process before giving up on announcing it. */
const WATCH_TRIES = 10;

/** What the reload after an action found, in one sentence. */
function outcome(demo: DemoHost): string {
  const answer = demo.last;
  const exchange = answer?.lastExchange;
  // The lab POST itself is the last exchange the server remembers: the reload made no session.
  if (!answer || !exchange || exchange.path.includes('/_lab/')) {
    return answer?.id && !answer.live
      ? 'The browser still holds its id, but the server has no live session for it: the next request starts a fresh one.'
      : 'The demo page made no session.';
  }
  const found = storeOutcome(exchange, {
    idName: demo.idName,
    transport: demo.transport,
    createdAt: answer.createdAt ?? null,
  });
  const reload = demo.worker ? `On reload (answered by pid ${demo.worker})` : 'On reload';
  if (found === 'loaded') {
    return answer.store === 'cookie'
      ? `${reload}, the browser still held the session's data cookie and it opened: the session survived.`
      : `${reload}, the store still had the session: it survived.`;
  }
  if (found === 'new') return `${reload}, no id was sent, so a new session began.`;
  if (found === 'adopted')
    return `${reload}, the server had no session for the id, and kept it anyway (unsafe on purpose).`;
  if (!answer.id) {
    // The page stored nothing: the refusal left no session, only the Set-Cookie lines that delete.
    const deleted = exchange.setCookie
      .map((line) => parseSetCookie(line))
      .filter((cookie) => cookie?.maxAge !== undefined && cookie.maxAge <= 0)
      .map((cookie) => cookie?.name);
    const told = deleted.length ? ` and told the browser to delete ${deleted.join(' and ')}` : '';
    return `${reload}, the server refused the id (${found})${told}. This page stores nothing, so no new session began.`;
  }
  return `${reload}, the id was rejected (${found}), so a fresh session began.`;
}

async function lab(demo: DemoHost, action: string): Promise<string | undefined> {
  const id = demo.transport === 'cookie' ? null : demo.currentId();
  const url = withId(`${demo.base}_lab/${action}`, demo.idName, idForAddress(demo.transport, id));
  const answer = await labAction(
    url,
    demo.transport === 'hidden-field' ? idForm(demo.idName, id) : undefined,
  );
  return answer.problem;
}

export async function runAction(demo: DemoHost, action: string): Promise<string> {
  switch (action) {
    case 'forget': {
      if (demo.transport === 'cookie') {
        const problem = await lab(demo, 'forget');
        if (problem) return `New visitor failed: ${problem}`;
      }
      const inBrowser = demo.last?.store === 'cookie';
      await demo.navigate(demo.base);
      return `You are a new visitor: the browser dropped its id, so the demo started over. ${
        inBrowser
          ? 'The old data cookie stays in the browser until its Max-Age runs out; without the id it is never opened.'
          : 'The old record stays in the store until it expires.'
      }`;
    }
    case 'expire':
    case 'regenerate':
    case 'tamper': {
      const before = demo.last?.id ?? null;
      const inBrowser = demo.last?.store === 'cookie';
      const problem = await lab(demo, action);
      if (problem)
        return `${action === 'tamper' ? 'Tampering' : action === 'expire' ? 'Expire now' : 'Regenerate'} failed: ${problem}`;
      // Only the page's request carries the tampered cookie (its answer clears it): the inspector asks
      // alongside it, with the same cookie, to show that request and its refusal.
      if (action === 'tamper') demo.expectExchange();
      await demo.navigate(demo.reloadPath());
      if (action === 'regenerate') {
        return `New id, same data: ${before ?? '(none)'} became ${demo.last?.id ?? '(none)'}. The record moved to a new store key.`;
      }
      const what =
        action !== 'expire'
          ? `One character of the ${inBrowser ? 'data cookie' : 'session cookie'} was changed, as an attacker would.`
          : inBrowser
            ? 'The session’s life ended now: the server told the browser to delete its data cookie. A copy taken earlier would still be accepted until the expiry sealed in it: the cookie store cannot revoke.'
            : 'The session’s life ended now (the record stays, marked expired).';
      return `${what} ${outcome(demo)}`;
    }
    case 'restart':
    case 'kill':
      return processControl(demo, action);
    case 'burst':
      return burst(demo, Number(demo.dataset.burst));
    default:
      return `Unknown action ${action}.`;
  }
}

/**
 * What the process coming back found of the session, compared with `before`. The look is an
 * inspection, which changes nothing, taken before the demo page reloads (which counts again).
 */
async function whatSurvived(demo: DemoHost, before: InspectAnswer | null): Promise<string | null> {
  if (!before?.live) return null;
  const answer = await demo.refresh();
  if (!answer.body || answer.body.error) return null;
  const several = Number(demo.dataset.workers ?? 1) > 1;
  const found = restartOutcome(before, answer.body, several ? answer.worker : null);
  if (!found) return null;
  await demo.navigate(demo.reloadPath());
  // With nothing kept, the reload's own story (the id refused, a fresh session) follows.
  return found.kept === 'none' ? `${found.text} ${outcome(demo)}` : found.text;
}

async function processControl(demo: DemoHost, action: 'restart' | 'kill'): Promise<string> {
  const picker = demo.querySelector<HTMLSelectElement>('[data-part="worker-pick"]');
  const worker = picker ? Number(picker.value) : 0;
  const before = demo.last;
  const answer = await control(demo.key, action, worker);
  if (answer.problem || !answer.body) {
    return `${action === 'kill' ? 'Crash' : 'Restart'} refused: ${answer.problem ?? 'no answer'}`;
  }
  const message = answer.body.message;
  const done = `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
  if (action === 'restart') {
    const found = await whatSurvived(demo, before);
    if (found) return `${done} ${found}`;
    await demo.navigate(demo.reloadPath());
    return `${done} ${outcome(demo)}`;
  }
  // Show the crash first (the page that reached a dead process), then whether a new process came back.
  await demo.navigate(demo.reloadPath());
  // A new process quick enough to serve that page counted it already: no clean comparison then.
  const crashShown = demo.frame.failure() !== null;
  for (let i = 0; i < WATCH_TRIES; i++) {
    const now = await status(demo.key);
    if (now.body?.workers.length && now.body.workers.every((w) => w.state === 'ready')) {
      const found = crashShown ? await whatSurvived(demo, before) : null;
      if (found) return `${done} The site started a new process. ${found}`;
      await demo.navigate(demo.reloadPath());
      return `${done} The site started a new process. ${outcome(demo)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await demo.refresh();
  return `${done} The process is still down: press Restart server to start it again.`;
}

async function burst(demo: DemoHost, count: number): Promise<string> {
  if (!demo.last?.live) await demo.navigate(demo.reloadPath()); // one session for all of them
  const before = demo.last?.live ? (demo.last.data ?? null) : null;
  const url = withId(demo.base, demo.idName, idForAddress(demo.transport, demo.currentId()));
  const statuses = await Promise.all(
    Array.from({ length: count }, () =>
      fetch(url, { cache: 'no-store', credentials: 'same-origin' }).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      ),
    ),
  );
  await demo.navigate(url);
  return burstSummary({
    sent: count,
    requests: count + 1,
    statuses: countStatuses(statuses.filter((s) => s > 0)),
    failed: statuses.filter((s) => s === 0).length,
    changes: numericChanges(before, demo.last?.live ? (demo.last.data ?? null) : null),
  });
}
