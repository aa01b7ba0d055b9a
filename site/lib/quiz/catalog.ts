// Every chapter's questions, found at build time (Vite's import.meta.glob), so the sidebar and the home
// page know each chapter's question ids without a list kept by hand. Server-side only.

import type { Question } from '../../../lessons/questions.ts';
import type { Catalog } from './progress.ts';

const files = import.meta.glob<{ default: readonly Question[] }>('/lessons/*/quiz.ts', { eager: true });

/** chapter slug → its question ids, in chapter order. */
export const QUIZ_CATALOG: Catalog = Object.fromEntries(
  Object.entries(files)
    .map(
      ([path, module]) => [/\/lessons\/([^/]+)\/quiz\.ts$/.exec(path)?.[1] ?? path, module.default] as const,
    )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([chapter, questions]) => [chapter, questions.map((question) => question.id)]),
);
