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
const MARKER = /^\s*(?:\/\/|#|;)\s*#(region|endregion)\b[ \t]*([\w-]*)\s*$/;

export interface RegionedSource {
  /** The file as the page shows it: the marker lines left out. */
  code: string;
  /** Each region's lines in `code` (1-based). */
  regions: Map<string, number[]>;
}

/**
 * Takes a file's named regions out of its text. A chapter marks lines by region name, not by number,
 * so the code can change around them and the page still marks the lines it means.
 */
export function readRegions(file: string, text: string): RegionedSource {
  const kept: string[] = [];
  const regions = new Map<string, number[]>();
  const open: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const marker = MARKER.exec(line);
    if (!marker) {
      kept.push(line);
      for (const name of open) regions.get(name)?.push(kept.length);
      continue;
    }
    const [, kind, name = ''] = marker;
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
  return { code: kept.join('\n'), regions };
}

/** The lines of the regions named in `list` (`"take,give"`); an unknown or empty region stops the build. */
export function regionLines(file: string, source: RegionedSource, list: string): number[] {
  const lines = new Set<number>();
  for (const name of list.split(',').map((n) => n.trim())) {
    const found = source.regions.get(name);
    if (!found || found.length === 0) {
      const known = [...source.regions.keys()].join(', ') || 'none';
      throw new Error(
        `<Source file="${file}" mark="${list}">: no region "${name}" in the file (it has: ${known})`,
      );
    }
    for (const line of found) lines.add(line);
  }
  return [...lines].sort((a, b) => a - b);
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
