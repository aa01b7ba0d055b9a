// What /lab-api/backends says about this machine: stores that cannot run here are disabled with the
// reason and how to enable them; on the public site the caps in force are shown, and process controls
// are switched off.
import type { BackendsAnswer } from './api.ts';
import { fill, h } from './dom.ts';

export const CONTROLS_OFF = 'Process controls are off on this public site.';

/** Marks the radios and fills the notes; returns the unavailable stores with why, for error messages. */
export function markBackends(root: Element, answer: BackendsAnswer | null): Map<string, string> {
  const notes: HTMLElement[] = [];
  const unavailable = new Map<string, string>();
  for (const backend of answer?.backends ?? []) {
    const radio = root.querySelector<HTMLInputElement>(
      `input[type="radio"][value="${CSS.escape(backend.store)}"]`,
    );
    if (!radio || backend.available) continue;
    unavailable.set(
      backend.store,
      `${backend.label} is ${backend.reason ?? 'not available'}. ${backend.enable ?? ''}`.trim(),
    );
    // The checked one stays enabled: its demo still loads and the inspector shows the store's error.
    if (!radio.checked) radio.disabled = true;
    notes.push(
      h(
        'li',
        null,
        h('strong', null, `${backend.label}: `),
        `${backend.reason ?? 'not available'}.`,
        backend.enable ? ` ${backend.enable}` : '',
      ),
    );
  }
  const target = root.querySelector('[data-part="backend-notes"]');
  if (!target) return unavailable;
  const limits = answer?.publicMode && answer.limits ? answer.limits : null;
  fill(
    target,
    notes.length ? h('p', null, 'Not available here:') : null,
    notes.length ? h('ul', null, ...notes) : null,
    limits
      ? h(
          'p',
          null,
          `This public site caps the demos: ${limits.requestsPerMinute} demo requests a minute per visitor (${limits.maxInFlightPerVisitor} at once), sessions up to ${limits.maxSessionBytes} bytes, ${limits.maxSessionsPerDemo} sessions per RAM demo and ${limits.maxSessionsPerStore} per shared store (those closest to expiry go first), expired sessions swept every minute.`,
        )
      : null,
  );
  if (answer?.publicMode) disableControls(root);
  return unavailable;
}

export function disableControls(root: Element): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>(
    'button[data-action="restart"], button[data-action="kill"]',
  )) {
    button.setAttribute('aria-disabled', 'true');
    button.title = CONTROLS_OFF;
  }
}
