// Where the current page sits in the course ("chapter 3, step 2 of 4"), read from the sidebar Starlight
// built (astro.config.mjs: a "Chapters" group holding one group per chapter, or a link for a one-page
// chapter), so the label above a page's title can never disagree with the sidebar.

/** The part of a Starlight sidebar entry this reads (links and groups, as `starlightRoute.sidebar` holds). */
export type SidebarEntry =
  | { type: 'link'; label: string; isCurrent: boolean }
  | { type: 'group'; label: string; entries: SidebarEntry[] };

export interface StepPosition {
  /** 1-based chapter number. */
  chapter: number;
  chapterTitle: string;
  /** 1-based step number within the chapter. */
  step: number;
  steps: number;
}

export function stepPosition(
  sidebar: readonly SidebarEntry[],
  groupLabel = 'Chapters',
): StepPosition | undefined {
  const course = sidebar.find((entry) => entry.type === 'group' && entry.label === groupLabel);
  if (course?.type !== 'group') return undefined;
  for (const [index, entry] of course.entries.entries()) {
    if (entry.type === 'link' && entry.isCurrent)
      return { chapter: index + 1, chapterTitle: entry.label, step: 1, steps: 1 };
    if (entry.type !== 'group') continue;
    const step = entry.entries.findIndex((child) => child.type === 'link' && child.isCurrent);
    if (step >= 0)
      return { chapter: index + 1, chapterTitle: entry.label, step: step + 1, steps: entry.entries.length };
  }
  return undefined;
}
