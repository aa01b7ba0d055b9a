// The browser side of DemoAttack.astro: the steps of chapter 11's two attacks, each writing what the
// server did and why beside its button. The victim's browser is the demo's own frame (DemoHost);
// the attacker's is the panel's frame. Both frames are same-origin, so their pages are read directly.

import { inspect } from './api.ts';
import { signedInAs, stolenSession } from './attack-reading.ts';
import type { DemoHost } from './demo-host.ts';
import { code, fill } from './dom.ts';
import { DemoFrame } from './frame.ts';
import { withId } from './transport-id.ts';

export interface AttackPanel {
  /** Starts over on another backend's path. */
  point(base: string): void;
}

export function attackPanel(demo: DemoHost, onLoad: () => void): AttackPanel | null {
  const root = demo.querySelector<HTMLElement>('[data-part="attack"]');
  const frame = root?.querySelector<HTMLIFrameElement>('iframe[data-part="attacker-frame"]');
  if (!root || !frame) return null;
  const note = (step: string, ...text: (Node | string)[]) => {
    const target = root.querySelector<HTMLElement>(`[data-part="attack-note"][data-step="${step}"]`);
    if (target) fill(target, ...text);
  };
  const button = (step: string) =>
    root.querySelector<HTMLButtonElement>(`button[data-attack-step="${step}"]`) ??
    document.createElement('button');
  const steps =
    root.dataset.attack === 'fixation'
      ? fixation(demo, frame, note, button)
      : stolen(demo, root, frame, note, button);
  root.addEventListener('click', (event) => {
    const step = (event.target as Element).closest<HTMLButtonElement>('button[data-attack-step]');
    if (step && !step.disabled) void steps.run(step.dataset.attackStep ?? '');
  });
  // Sized to its page like the demo's own frame, so a phone shows the attacker's whole page too.
  const attacker = new DemoFrame(frame);
  if (frame.contentDocument?.readyState === 'complete') attacker.fitToContent();
  frame.addEventListener('load', () => {
    attacker.fitToContent();
    steps.attackerLoaded();
    onLoad();
  });
  demo.frame.element.addEventListener('load', () => steps.victimLoaded());
  return {
    point(base) {
      steps.reset(base);
    },
  };
}

type Note = (step: string, ...text: (Node | string)[]) => void;
type Button = (step: string) => HTMLButtonElement;

interface Steps {
  run(step: string): Promise<void>;
  attackerLoaded(): void;
  victimLoaded(): void;
  reset(base: string): void;
}

const pageText = (frame: HTMLIFrameElement): string => {
  try {
    return frame.contentDocument?.body?.textContent ?? '';
  } catch {
    return '';
  }
};

/** 32 random bytes as base64url: exactly the shape of an id the server issues (43 characters). */
function inventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The id the links and forms of a frame's page carry (URL transport), or null. */
function idInLinks(frame: HTMLIFrameElement, idName: string): string | null {
  try {
    for (const element of frame.contentDocument?.querySelectorAll('a[href], form[action]') ?? []) {
      const target = element.getAttribute('href') ?? element.getAttribute('action') ?? '';
      const id = new URL(target, 'http://frame.invalid').searchParams.get(idName);
      if (id) return id;
    }
  } catch {
    // A page of another origin (an error page): nothing to read.
  }
  return null;
}

const short = (id: string): string => `${id.slice(0, 6)}…${id.slice(-2)}`;

function fixation(demo: DemoHost, frame: HTMLIFrameElement, note: Note, button: Button): Steps {
  let planted: string | null = null;
  /** Whether the attacker's frame was sent to the planted link (its next load is the result). */
  let using = false;
  const link = () => withId(demo.base, demo.idName, planted);
  return {
    async run(step) {
      if (step === 'invent' || step === 'take') {
        const own = step === 'take' ? idInLinks(frame, demo.idName) : inventId();
        if (own === null) {
          note('invent', "The attacker's frame holds no id yet: wait for its page to load, or invent one.");
          return;
        }
        planted = own;
        const how =
          step === 'take'
            ? `The attacker's frame holds ${short(own)}, an id the server issued. The planted link: `
            : 'The planted link: ';
        // Shown shortened, like every id on this site; the button opens the real link.
        note('invent', how, code(`${location.origin}${link().replace(own, short(own))}`));
        button('plant').disabled = false;
        for (const later of ['plant', 'sign-in', 'use']) note(later, '');
        button('use').disabled = true;
      } else if (step === 'plant' && planted) {
        await demo.navigate(link());
        // The frame's address holds the planted id whatever happened; its links and forms hold the id
        // the server answered with.
        const given = idInLinks(demo.frame.element, demo.idName);
        if (given === planted) {
          const outcome = demo.last?.lastExchange?.rejected;
          note(
            'plant',
            outcome === 'adopted'
              ? `The server had no session for ${short(planted)} and adopted it (inspector: adopted): the victim's frame now carries the planted id in every link and form.`
              : `The server knew ${short(planted)}: it issued it to the attacker's frame, so the victim's frame now shares the attacker's session.`,
          );
        } else {
          // Refused: the request's record sits with the session the server gave instead. Read it there,
          // then follow that id, as the victim's next click would, so the inspector shows that session.
          const answer = given ? await inspect(withId(`${demo.base}_inspect`, demo.idName, given)) : null;
          const outcome = answer?.body?.lastExchange?.rejected ?? 'unknown';
          note(
            'plant',
            `The server refused ${short(planted)} (rejected: ${outcome}): it never issued that id, so it gave the victim's frame a session of its own${given ? `, ${short(given)}` : ''}. The victim's links and forms do not carry the planted id.`,
          );
          if (given) await demo.navigate(withId(demo.base, demo.idName, given));
        }
        button('use').disabled = false;
      } else if (step === 'use' && planted) {
        using = true;
        frame.src = link();
      }
    },
    victimLoaded() {
      if (!planted) return;
      const user = signedInAs(pageText(demo.frame.element));
      if (!user) return;
      const held = demo.currentId();
      note(
        'sign-in',
        held === planted
          ? `Signed in as ${user}, and the session still goes by the planted id ${short(planted)}: it was kept at sign-in.`
          : `Signed in as ${user} under ${held ? `a new id, ${short(held)}` : 'a new id'}: the server changed the id at sign-in, so ${short(planted)} opens nothing.`,
      );
    },
    attackerLoaded() {
      if (!using || !planted) return;
      using = false;
      const user = signedInAs(pageText(frame));
      note(
        'use',
        user
          ? `The attacker's frame, holding ${short(planted)}, is signed in as ${user}: the attack worked.`
          : `The attacker's frame, holding ${short(planted)}, is signed out: the attack failed.`,
      );
    },
    reset(base) {
      planted = null;
      using = false;
      for (const step of ['invent', 'plant', 'sign-in', 'use']) note(step, '');
      button('plant').disabled = true;
      button('use').disabled = true;
      frame.src = base;
    },
  };
}

function stolen(
  demo: DemoHost,
  root: HTMLElement,
  frame: HTMLIFrameElement,
  note: Note,
  button: Button,
): Steps {
  let found: { id: string; data: string | null } | null = null;
  let replaying = false;
  const form = root.querySelector<HTMLFormElement>('form[data-part="replay-form"]');
  const field = (name: string) => form?.querySelector<HTMLInputElement>(`input[name="${name}"]`) ?? null;
  return {
    async run(step) {
      if (step === 'read') {
        const cookie = demo.frame.documentCookie(demo.base);
        found = stolenSession(cookie ?? '', demo.idName);
        button('replay').disabled = found === null;
        note('replay', '');
        if (found) {
          const data = found.data ? ', and the data cookie beside it' : '';
          note(
            'read',
            `The script found ${demo.idName} = ${short(found.id)} (the whole id, 43 characters)${data}: the cookie has no HttpOnly.`,
          );
        } else if (!demo.last?.id) {
          note(
            'read',
            'This browser holds no session yet: sign in as alice in the demo first, then run the script again.',
          );
        } else {
          note(
            'read',
            `The script found no session id: document.cookie is ${cookie ? `"${cookie}"` : 'empty'}. The session cookie is HttpOnly, so page scripts never see it.`,
          );
        }
      } else if (step === 'replay' && found && form) {
        const id = field('id');
        const data = field('data');
        if (!id || !data) return;
        id.value = found.id;
        data.value = found.data ?? '';
        replaying = true;
        form.submit();
        id.value = '';
        data.value = '';
      }
    },
    victimLoaded() {},
    attackerLoaded() {
      if (!replaying || !found) return;
      replaying = false;
      const user = signedInAs(pageText(frame));
      note(
        'replay',
        user
          ? `The attacker's browser sent only what the script found and is signed in as ${user}.`
          : "The attacker's browser sent what the script found and is signed out: it opens no signed-in session.",
      );
    },
    reset(base) {
      found = null;
      replaying = false;
      note('read', '');
      note('replay', '');
      button('replay').disabled = true;
      if (form) form.action = `${base}_lab/replay`;
      frame.src = 'about:blank';
    },
  };
}
