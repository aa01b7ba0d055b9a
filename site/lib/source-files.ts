// Build-time helpers for chapter pages: read a repository file safely, find its named regions, build commands.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { APPS, isAppName } from '../../lessons/apps.ts';
import { STORAGE_TYPES } from '../../sandbox/engine/config.ts';

const ROOT = process.cwd();

/** Reads a file given relative to the repository root; refuses paths outside it. */
export async function readSource(file: string): Promise<string> {
  const path = resolve(ROOT, file);
  const inside = relative(ROOT, path);
  if (inside.startsWith('..') || inside === '' || inside.includes('node_modules')) {
    throw new Error(
      `<Source file="${file}">: expected a path inside the repository, like lessons/07-session-api/counter.ts`,
    );
  }
  try {
    return (await readFile(path, 'utf8')).replace(/\n$/, '');
  } catch {
    throw new Error(`<Source file="${file}">: no such file in the repository`);
  }
}

/** `// #region name` … `// #endregion` (`#` or `;` comments too): the lines a chapter talks about. */
const MARKER = /^\s*(\/\/|#|;)\s*#(region|endregion)\b[ \t]*([\w-]*)\s*$/;

export interface RegionedSource {
  /** The file as the page shows it: the marker lines left out. */
  code: string;
  /** Each line of `code`'s number in the file itself (the marker lines count there), as an editor shows it. */
  lineNumbers: number[];
  /** Each region's lines in `code` (1-based). */
  regions: Map<string, number[]>;
  /** How the file starts a comment (`//`, `#` or `;`), taken from its markers: the excerpt's gap line. */
  comment: string;
}

/**
 * Takes a file's named regions out of its text. A chapter marks lines by region name, not by number,
 * so the code can change around them and the page still marks the lines it means.
 */
export function readRegions(file: string, text: string): RegionedSource {
  const kept: string[] = [];
  const lineNumbers: number[] = [];
  const regions = new Map<string, number[]>();
  const open: string[] = [];
  let comment = '//';
  for (const [index, line] of text.split('\n').entries()) {
    const marker = MARKER.exec(line);
    if (!marker) {
      kept.push(line);
      lineNumbers.push(index + 1);
      for (const name of open) regions.get(name)?.push(kept.length);
      continue;
    }
    const [, token = '//', kind, name = ''] = marker;
    comment = token;
    if (kind === 'region') {
      if (!name) throw new Error(`${file}:${index + 1}: a #region needs a name`);
      if (regions.has(name)) throw new Error(`${file}:${index + 1}: region "${name}" is named twice`);
      regions.set(name, []);
      open.push(name);
    } else {
      const closed = open.pop();
      if (!closed || (name && name !== closed))
        throw new Error(`${file}:${index + 1}: #endregion ${name} closes no open region of that name`);
    }
  }
  if (open.length > 0) throw new Error(`${file}: region "${open.at(-1)}" is never closed`);
  return { code: kept.join('\n'), lineNumbers, regions, comment };
}

/**
 * The lines of the regions named in `list` (`"take,give"`). A region that is gone stops the build, and so
 * does one with nothing but blank lines in it: the page would show an empty excerpt.
 */
export function regionLines(file: string, source: RegionedSource, list: string): number[] {
  const text = source.code.split('\n');
  const lines = new Set<number>();
  for (const name of list.split(',').map((n) => n.trim())) {
    const found = source.regions.get(name);
    if (!found) {
      const known = [...source.regions.keys()].join(', ') || 'none';
      throw new Error(
        `<Source file="${file}" mark="${list}">: no region "${name}" in the file (it has: ${known})`,
      );
    }
    if (!found.some((line) => text[line - 1]?.trim())) {
      throw new Error(`<Source file="${file}" mark="${list}">: region "${name}" is empty`);
    }
    for (const line of found) lines.add(line);
  }
  return [...lines].sort((a, b) => a - b);
}

export interface Excerpt {
  code: string;
  /** Each line's number in the file; 0 for a gap line, which stands for lines left out. */
  lineNumbers: number[];
  /** The file's line ranges shown, for a screen reader ("12–20, 31–33"): the gutter is hidden from it. */
  ranges: string;
}

/**
 * Only the given lines of `code` (1-based, sorted): runs of adjacent lines are shown together, with a
 * comment line `// …` between runs where lines are left out, and the indentation they all share removed
 * so that an excerpt from deep in a function does not start halfway across a phone's screen.
 */
export function excerpt(source: RegionedSource, lines: number[]): Excerpt {
  const text = source.code.split('\n');
  const runs: number[][] = [];
  for (const line of lines) {
    const run = runs.at(-1);
    if (run && run.at(-1) === line - 1) run.push(line);
    else runs.push([line]);
  }
  const indentOf = (line: string) => line.length - line.trimStart().length;
  const shown = lines.map((line) => text[line - 1] ?? '').filter((line) => line.trim());
  const shared = Math.min(...shown.map(indentOf));
  const code: string[] = [];
  const lineNumbers: number[] = [];
  for (const [index, run] of runs.entries()) {
    if (index > 0) {
      const next = text[(run[0] ?? 1) - 1] ?? '';
      code.push(`${' '.repeat(Math.max(0, indentOf(next) - shared))}${source.comment} …`);
      lineNumbers.push(0);
    }
    for (const line of run) {
      code.push((text[line - 1] ?? '').slice(shared));
      lineNumbers.push(source.lineNumbers[line - 1] ?? 0);
    }
  }
  const ranges = runs
    .map((run) => {
      const first = source.lineNumbers[(run[0] ?? 1) - 1];
      const last = source.lineNumbers[(run.at(-1) ?? 1) - 1];
      return first === last ? `${first}` : `${first}–${last}`;
    })
    .join(', ');
  return { code: code.join('\n'), lineNumbers, ranges };
}

export interface CommandOptions {
  app: string;
  store?: string;
  config?: string;
  workers?: number;
  flags?: string;
}

/** The `npm run sandbox` line for a demo, checked against the real app and store names. */
export function sandboxCommand({ app, store, config, workers, flags }: CommandOptions): string {
  if (!isAppName(app)) throw new Error(`app="${app}": expected one of ${Object.keys(APPS).join(', ')}`);
  if (store && !(STORAGE_TYPES as readonly string[]).includes(store)) {
    throw new Error(`store="${store}": expected one of ${STORAGE_TYPES.join(', ')}`);
  }
  const parts = ['npm run sandbox --', app];
  if (store) parts.push('--store', store);
  if (config) parts.push('--config', config);
  if (workers) parts.push('--workers', String(workers));
  if (flags) parts.push(flags);
  return parts.join(' ');
}
