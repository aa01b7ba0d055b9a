// The course's chapters and steps for the site's own pages (lessons/chapters.ts), from the `.mdx` files
// Vite finds at build time: a built page cannot read lessons/ from the disk.
import { type Chapter, parseChapters } from '../../../lessons/chapters.ts';

const files = import.meta.glob<string>('/lessons/*/*.mdx', { query: '?raw', import: 'default', eager: true });

export const COURSE: Chapter[] = parseChapters(
  Object.entries(files).map(([path, text]) => [path.slice(1), text]),
);
