// Shared by the URL and hidden-field transports: both edit the HTML an app sends.

export function isHtml(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').startsWith('text/html');
}

/** A same-site link: a path (`/x`, `x`, `?a=1`), not `https://…`, `//host`, `#frag`, `mailto:` or `javascript:`. */
export function isLocalLink(href: string): boolean {
  return href !== '' && !href.startsWith('#') && !href.startsWith('//') && !/^[a-z][a-z0-9+.-]*:/i.test(href);
}

/** A copy of the response with a new body and the same status and headers (minus the stale length). */
export function withBody(response: Response, body: string): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
