// A tiny INI reader for the seed's `[session]` files. Keeps line numbers so errors can point at them.

export interface IniEntry {
  section: string;
  key: string;
  value: string;
  line: number;
}

export class IniSyntaxError extends Error {}

/** Reads `key=value` lines under `[section]` headers; `#` and `;` start comments. */
export function parseIni(text: string, fileName: string): IniEntry[] {
  const entries: IniEntry[] = [];
  let section = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header?.[1]) {
      section = header[1].trim();
      return;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0)
      throw new IniSyntaxError(
        `${fileName}:${line}: expected key=value or [section], got ${JSON.stringify(trimmed)}`,
      );
    entries.push({ section, key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim(), line });
  });
  return entries;
}
