// The course's shape, read from the folders: each `lessons/NN-slug/` is a chapter and each `.mdx` in it a
// step (`index.mdx` first, the others in their `sidebar.order`). astro.config.mjs builds the sidebar from
// this, and the tests walk the same list, so a new step is picked up everywhere without a list kept by hand.
import { readdirSync, readFileSync } from 'node:fs';

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

function readStep(slug: string, file: string): Step {
  const head = frontmatter(readFileSync(new URL(`${slug}/${file}`, LESSONS), 'utf8'));
  const name = file.replace(/\.mdx$/, '');
  const id = name === 'index' ? slug : `${slug}/${name}`;
  return {
    path: `/${id}/`,
    id,
    file: `lessons/${slug}/${file}`,
    title: unquote(/^title:\s*(.+)$/m.exec(head)?.[1] ?? name),
    order: Number(/^\s+order:\s*(\d+)/m.exec(head)?.[1] ?? Infinity),
  };
}

function readChapter(slug: string): Chapter {
  const files = readdirSync(new URL(`${slug}/`, LESSONS)).filter((file) => file.endsWith('.mdx'));
  if (!files.includes('index.mdx')) throw new Error(`lessons/${slug}/ has no index.mdx (its first step)`);
  const [first, ...rest] = [
    readStep(slug, 'index.mdx'),
    ...files
      .filter((file) => file !== 'index.mdx')
      .map((file) => readStep(slug, file))
      .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)),
  ] as [Step, ...Step[]];
  return { slug, title: first.title, steps: [first, ...rest] };
}

/** Every chapter, in reading order, with its steps in order. */
export function readChapters(): Chapter[] {
  return readdirSync(LESSONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map(readChapter);
}
