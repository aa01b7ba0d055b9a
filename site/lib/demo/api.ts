// The browser side of the lab endpoints (same origin as the chapter). Every call resolves, never
// rejects: a failure comes back as `problem`, a sentence the inspector shows as it is.
import type { InspectAnswer } from '../../../sandbox/inspector/answer.ts';
import { CARRIED_ANSWER_HEADER, readCarriedAnswer } from '../../../sandbox/inspector/carried-answer.ts';

/** `GET <base>_inspect` (sandbox/inspector/inspector.ts `answer()`): its one declared shape. */
export type { InspectAnswer };

export interface Backend {
  store: string;
  label: string;
  available: boolean;
  reason?: string;
  enable?: string;
}

export interface BackendsAnswer {
  publicMode: boolean;
  /** Whether the CSRF demo's other site runs on a port of its own (local `npm start`). */
  otherSitePort?: boolean;
  /** The caps in force on the public site (site/lib/lab/router.ts PublicLimits); null otherwise. */
  limits?: {
    requestsPerMinute: number;
    maxSessionBytes: number;
    maxSessionsPerDemo: number;
    maxSessionsPerStore: number;
    maxInFlightPerVisitor: number;
  } | null;
  backends: Backend[];
}

export interface Worker {
  pid?: number;
  port?: number;
  state: 'starting' | 'ready' | 'down';
}

export interface DemoStatus {
  workers: Worker[];
  events: { at: number; text: string }[];
  controls: boolean;
}

export interface Answer<T> {
  status: number;
  body: T | null;
  /** Which demo process answered (the `x-session-lab-worker` header). */
  worker: string | null;
  problem?: string;
}

/**
 * `fromHead` reads an answer the response's head carries: it is then taken at once, without waiting for
 * the body (sandbox/inspector/carried-answer.ts says why).
 */
async function call<T>(
  url: string,
  init?: RequestInit,
  fromHead?: (headers: Headers) => T | null,
): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store', credentials: 'same-origin', ...init });
  } catch (error) {
    return {
      status: 0,
      body: null,
      worker: null,
      problem: `The site did not answer (${(error as Error).message}).`,
    };
  }
  const worker = response.headers.get('x-session-lab-worker');
  const carried = response.ok ? (fromHead?.(response.headers) ?? null) : null;
  if (carried !== null) {
    response.body?.cancel().catch(() => {});
    return { status: response.status, body: carried, worker };
  }
  const text = await response.text();
  if (response.status === 204) return { status: 204, body: null, worker };
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      const body = JSON.parse(text) as T;
      return response.ok
        ? { status: response.status, body, worker }
        : { status: response.status, body, worker, problem: problemOf(body, response.status) };
    } catch {
      // fall through: a broken JSON body is reported like any other unexpected answer
    }
  }
  const detail = response.headers.get('content-type')?.includes('html') ? pageMessage(text) : text.trim();
  return {
    status: response.status,
    body: null,
    worker,
    problem: response.ok ? undefined : `HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
  };
}

function problemOf(body: unknown, status: number): string {
  const record = (body ?? {}) as { error?: unknown; message?: unknown; hint?: unknown };
  const main =
    typeof record.error === 'string'
      ? record.error
      : typeof record.message === 'string'
        ? record.message
        : '';
  const hint = typeof record.hint === 'string' && record.hint ? ` ${record.hint}` : '';
  return `HTTP ${status}: ${main || 'the request failed.'}${hint}`;
}

/** The heading and first paragraph of an error page, as plain text (DOMParser runs no scripts). */
function pageMessage(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const parts = [doc.querySelector('h1')?.textContent, doc.querySelector('p')?.textContent];
  return parts.filter(Boolean).join('. ').slice(0, 400);
}

export const inspect = (url: string, signal?: AbortSignal) =>
  call<InspectAnswer>(url, signal ? { signal } : undefined, (headers) =>
    readCarriedAnswer(headers.get(CARRIED_ANSWER_HEADER)),
  );

export function labAction(url: string, form?: URLSearchParams): Promise<Answer<never>> {
  return call<never>(url, { method: 'POST', ...(form ? { body: form } : {}) });
}

const backendCache = new Map<string, Promise<Answer<BackendsAnswer>>>();

/** Cached per app: a chapter with four demos of one app asks once. */
export function backends(app: string) {
  let answer = backendCache.get(app);
  if (!answer) {
    answer = call<BackendsAnswer>(`/lab-api/backends?app=${encodeURIComponent(app)}`);
    backendCache.set(app, answer);
  }
  return answer;
}

export const status = (key: string) => call<DemoStatus>(`/lab-api/status?variant=${encodeURIComponent(key)}`);

export function control(key: string, action: 'restart' | 'kill', worker: number) {
  return call<{ ok: boolean; message: string } & Omit<DemoStatus, 'controls'>>('/lab-api/control', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ variant: key, action, worker }),
  });
}
