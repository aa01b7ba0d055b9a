// Build-time helpers for chapter pages: read a repository file safely, parse line lists, build commands.
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

/** `"3,6-8"` → [3, 6, 7, 8]; every line must exist in the file. */
export function parseLineList(list: string, lineCount: number): number[] {
  const lines: number[] = [];
  for (const part of list.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) throw new Error(`highlight="${list}": expected lines like "3,6-8", got "${part}"`);
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < 1 || to < from || to > lineCount) {
      throw new Error(`highlight="${list}": lines ${part} are outside the file's 1-${lineCount}`);
    }
    for (let n = from; n <= to; n++) lines.push(n);
  }
  return lines;
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
