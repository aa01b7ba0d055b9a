// The browser side of a demo's "other site" (site/components/DemoOtherSite.astro): the frame shows the
// attacker's page for the demo's current backend and the chosen kind, and every page the attack leads
// to in it (the 403, the signed-out 401, the changed account) refreshes the demo's inspector.
export interface OtherSiteFrame {
  /** Shows the attacker's page for this demo base (after a backend switch). */
  point(base: string): void;
  /** Says which kinds this site runs (/lab-api/backends): without a second port, only the sandboxed one. */
  offer(port: boolean): void;
}

export function otherSiteFrame(root: HTMLElement, onLoad: () => void): OtherSiteFrame | null {
  const frame = root.querySelector<HTMLIFrameElement>('iframe[data-part="other-site"]');
  if (!frame) return null;
  const radios = [...root.querySelectorAll<HTMLInputElement>('input[type="radio"][data-from]')];
  let base = root.dataset.base ?? '';
  let offered = false;
  const show = () => {
    if (!offered) return;
    const from = radios.find((radio) => radio.checked)?.value ?? 'sandbox';
    frame.src = `/other-site/?demo=${encodeURIComponent(base)}&from=${from}`;
  };
  for (const radio of radios) radio.addEventListener('change', show);
  frame.addEventListener('load', () => {
    if (offered) onLoad();
  });
  return {
    point(next) {
      base = next;
      show();
    },
    offer(port) {
      const portRadio = radios.find((radio) => radio.value === 'port');
      if (!port && portRadio) {
        portRadio.disabled = true;
        const sandbox = radios.find((radio) => radio.value === 'sandbox');
        if (sandbox) sandbox.checked = true;
        root.querySelector<HTMLElement>('[data-part="other-site-note"]')?.removeAttribute('hidden');
      }
      offered = true;
      show();
    },
  };
}
