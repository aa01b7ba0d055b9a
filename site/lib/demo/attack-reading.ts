// What the attack panel reads from a page, pure so it is tested: who a login page says is signed in,
// and the session's cookies in a `document.cookie` string.

/** The account a login page shows as signed in ("Signed in as alice"), or null when signed out. */
export function signedInAs(pageText: string): string | null {
  return /Signed in as\s+([a-z]+)/.exec(pageText)?.[1] ?? null;
}

/** The value of cookie `name` in a `document.cookie` string, under that name or with `__Secure-` (https). */
function cookieValue(documentCookie: string, name: string): string | null {
  const names = [name, `__Secure-${name}`];
  for (const pair of documentCookie.split(';')) {
    const eq = pair.indexOf('=');
    if (eq >= 0 && names.includes(pair.slice(0, eq).trim())) return pair.slice(eq + 1).trim();
  }
  return null;
}

/**
 * What a script finds of the session in `document.cookie`: the well-formed id named `idName`, and with
 * the cookie store the data cookie beside it (`<idName>_data`); null when the id is not there.
 */
export function stolenSession(
  documentCookie: string,
  idName: string,
): { id: string; data: string | null } | null {
  const id = cookieValue(documentCookie, idName);
  if (id === null || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  return { id, data: cookieValue(documentCookie, `${idName}_data`) };
}
