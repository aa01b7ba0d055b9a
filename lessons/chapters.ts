// The course's shape, read from the folders: each `lessons/NN-slug/` is a chapter and each `.mdx` in it a
// step (`index.mdx` first, the others in their `sidebar.order`). astro.config.mjs builds the sidebar from
// this, and the tests walk the same list, so a new step is picked up everywhere without a list kept by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { countProseWords } from './prose.ts';

export interface Step {
  /** Path on the site, ending in `/`: `/03-session-id/` for the first step, `/03-session-id/cookie-attributes/` after. */
  path: string;
  /** The content id Starlight knows the page by (the path without its slashes). */
  id: string;
  /** The file, relative to the repository root. */
  file: string;
  /** The page's h1 (frontmatter `title`). */
  title: string;
  /** The page's `sidebar.order` (Infinity when none). */
  order: number;
  /** Words of prose (lessons/prose.ts). */
  words: number;
}

export interface Chapter {
  /** The folder name, `03-session-id`. */
  slug: string;
  /** The first step's title. */
  title: string;
  steps: Step[];
}

const LESSONS = new URL('./', import.meta.url);

function frontmatter(text: string): string {
  return /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
}

function unquote(value: string): string {
  return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}

function parseStep(slug: string, file: string, text: string): Step {
  const head = frontmatter(text);
  const name = file.replace(/\.mdx$/, '');
  const id = name === 'index' ? slug : `${slug}/${name}`;
  return {
    path: `/${id}/`,
    id,
    file: `lessons/${slug}/${file}`,
    title: unquote(/^title:\s*(.+)$/m.exec(head)?.[1] ?? name),
    order: Number(/^\s+order:\s*(\d+)/m.exec(head)?.[1] ?? Infinity),
    words: countProseWords(text),
  };
}

/**
 * The chapters found among `lessons/NN-slug/*.mdx` files, given as [path from the repository root, text]
 * (the site reads them with Vite's import.meta.glob, Node with readChapters).
 */
export function parseChapters(files: Iterable<readonly [string, string]>): Chapter[] {
  const bySlug = new Map<string, Step[]>();
  for (const [path, text] of files) {
    const match = /(?:^|\/)lessons\/(\d\d-[^/]+)\/([^/]+\.mdx)$/.exec(path);
    if (!match?.[1] || !match[2]) continue;
    const steps = bySlug.get(match[1]) ?? [];
    steps.push(parseStep(match[1], match[2], text));
    bySlug.set(match[1], steps);
  }
  return [...bySlug.keys()].sort().map((slug) => {
    const all = bySlug.get(slug) ?? [];
    const first = all.find((step) => step.id === slug);
    if (!first) throw new Error(`lessons/${slug}/ has no index.mdx (its first step)`);
    const rest = all
      .filter((step) => step !== first)
      .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
    return { slug, title: first.title, steps: [first, ...rest] };
  });
}

/** Every chapter, in reading order, with its steps in order, read from the disk. */
export function readChapters(): Chapter[] {
  const files: [string, string][] = [];
  for (const entry of readdirSync(LESSONS, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^\d\d-/.test(entry.name)) continue;
    for (const file of readdirSync(new URL(`${entry.name}/`, LESSONS)).filter((name) =>
      name.endsWith('.mdx'),
    ))
      files.push([
        `lessons/${entry.name}/${file}`,
        readFileSync(new URL(`${entry.name}/${file}`, LESSONS), 'utf8'),
      ]);
  }
  return parseChapters(files);
}

/** Reading speed the home page's times assume, in words a minute. */
export const WORDS_PER_MINUTE = 200;

/** A chapter's reading time in whole minutes (at least 1), from its steps' words of prose. */
export function readingMinutes(chapter: Chapter): number {
  const words = chapter.steps.reduce((sum, step) => sum + step.words, 0);
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}
