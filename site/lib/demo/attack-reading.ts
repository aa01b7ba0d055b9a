// What the attack panel reads from a page, pure so it is tested: who a login page says is signed in,
// and the session id in a `document.cookie` string.

/** The account a login page shows as signed in ("Signed in as alice"), or null when signed out. */
export function signedInAs(pageText: string): string | null {
  return /Signed in as\s+([a-z]+)/.exec(pageText)?.[1] ?? null;
}

/**
 * The well-formed session id named `idName` in a `document.cookie` string, or null. Over https the
 * engine names the cookie `__Secure-<idName>` (sandbox/engine/cookies.ts).
 */
export function stolenId(documentCookie: string, idName: string): string | null {
  const names = [idName, `__Secure-${idName}`];
  for (const pair of documentCookie.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || !names.includes(pair.slice(0, eq).trim())) continue;
    const value = pair.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return null;
}
