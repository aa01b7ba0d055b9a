// "Fire N parallel requests": what to tell the reader afterwards. With locking, N requests that each
// add one add N; without it, requests read the same old value and some updates are lost.
import type { JsonValue } from '../../../sandbox/engine/types.ts';

export interface NumberChange {
  key: string;
  before: number;
  after: number;
}

type Data = Record<string, JsonValue> | null;

/** The numeric session values that changed between two snapshots. */
export function numericChanges(before: Data, after: Data): NumberChange[] {
  const changes: NumberChange[] = [];
  for (const [key, value] of Object.entries(after ?? {})) {
    if (typeof value !== 'number') continue;
    const old = before?.[key];
    const from = typeof old === 'number' ? old : 0;
    if (from !== value) changes.push({ key, before: from, after: value });
  }
  return changes;
}

export interface BurstResult {
  /** Requests fired at once. */
  sent: number;
  /** Requests that reached the app: the burst plus the page reload after it. */
  requests: number;
  /** HTTP status → how many of the burst answered with it. */
  statuses: Record<number, number>;
  failed: number;
  changes: NumberChange[];
}

export function countStatuses(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** One paragraph: what was sent, how it was answered, and whether any update was lost. */
export function burstSummary({ sent, requests, statuses, failed, changes }: BurstResult): string {
  const answered = Object.entries(statuses)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  const outcome = `${answered || 'none answered'}${failed ? `, ${failed} failed` : ''}`;
  const parts = [`Sent ${sent} requests at once (${outcome}), then reloaded the demo page.`];
  for (const { key, before, after } of changes) {
    const added = after - before;
    const lost = requests - added;
    parts.push(
      lost > 0 && added > 0
        ? `${key} went ${before} → ${after}: +${added} for ${requests} requests, so ${lost} update${lost === 1 ? ' was' : 's were'} lost.`
        : `${key} went ${before} → ${after} (+${added} for ${requests} requests).`,
    );
  }
  if (changes.length === 0) parts.push('No number in the session changed.');
  return parts.join(' ');
}
