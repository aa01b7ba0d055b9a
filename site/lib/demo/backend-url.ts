// The backend a reader picked, kept in the chapter's URL so a reload (or a shared link) shows the same
// one: `?backend.counter.ram.std=sqlite`. One parameter per demo, named after the demo's own variant
// key (`data-key`), so the several demos of a page each keep their own choice.

/** The query parameter that holds the backend of the demo whose variant key is `key`. */
export function backendParam(key: string): string {
  return `backend.${key.replaceAll('/', '.')}`;
}

/** The store the URL asks for this demo, or null. */
export function wantedBackend(href: string, key: string): string | null {
  return new URL(href).searchParams.get(backendParam(key)) || null;
}

/** `href` with this demo's choice set, or removed when `store` is null (the demo's own default). */
export function withBackend(href: string, key: string, store: string | null): string {
  const url = new URL(href);
  if (store === null) url.searchParams.delete(backendParam(key));
  else url.searchParams.set(backendParam(key), store);
  return url.href;
}
