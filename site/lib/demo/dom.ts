// Builds DOM from data. Every string becomes a text node, never markup: the inspector shows what the
// server and the store hold, which includes anything a visitor typed (OWASP XSS Prevention, rule #1).

type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes, set with setAttribute (no `on*` handlers: listeners are added in code). */
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props?.class) element.className = props.class;
  for (const [name, value] of Object.entries(props?.attrs ?? {})) {
    if (name.toLowerCase().startsWith('on')) throw new Error(`refusing event attribute ${name}`);
    element.setAttribute(name, value);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything in `parent` with `children`. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** `<dl>` rows from label → value pairs; null values are left out. */
export function facts(rows: [string, Child][]): HTMLDListElement {
  const list = h('dl', { class: 'facts' });
  for (const [term, value] of rows) {
    if (value === null || value === undefined || value === false) continue;
    append(list, h('dt', null, term), h('dd', null, value));
  }
  return list;
}

export const code = (text: string): HTMLElement => h('code', null, text);

/**
 * A `<pre>` that keeps every character and wraps long lines instead of widening the page. A label needs
 * a role to be announced (a bare `<pre>` may not carry aria-label), so a labelled one is a group.
 */
export const pre = (text: string, label?: string): HTMLPreElement =>
  h('pre', { class: 'raw', attrs: label ? { role: 'group', 'aria-label': label } : {} }, text);
