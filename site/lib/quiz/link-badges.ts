// Marks each chapter link inside a root (the sidebar's chapter groups, the home page's chapter list) with the learner's
// quiz progress: "2/3" while some are right, "✓" when all are, nothing before the first right answer.
// The visible mark is hidden from screen readers, which hear a sentence instead ("2 of 3 questions
// answered right"), as part of the link's name.
import { type Catalog, correctCount, type Progress } from './progress.ts';

const BADGE = 'data-quiz-badge';

/** The chapter a link points to (`/03-session-id/` → `03-session-id`), if the catalog has it. */
function chapterOf(link: HTMLAnchorElement, catalog: Catalog): string | undefined {
  const path = new URL(link.href, document.baseURI).pathname;
  const slug = /^\/([^/]+)\/$/.exec(path)?.[1];
  return slug !== undefined && Object.hasOwn(catalog, slug) ? slug : undefined;
}

/**
 * Where a chapter link's mark goes: in the sidebar, a chapter is a group of steps whose first link is the
 * chapter's, and the mark goes on the group's label, which stays in view while the group is collapsed.
 */
function markTarget(link: HTMLAnchorElement): Element {
  const group = link.closest('details');
  const isGroupsOwnLink = group !== null && link.parentElement?.parentElement?.parentElement === group;
  return (isGroupsOwnLink && group.querySelector(':scope > summary .group-label')) || link;
}

export function markChapterLinks(root: ParentNode, catalog: Catalog, progress: Progress): void {
  for (const link of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    const chapter = chapterOf(link, catalog);
    if (chapter === undefined) continue;
    const total = catalog[chapter]?.length ?? 0;
    const right = correctCount(progress, chapter, catalog[chapter] ?? []);
    const target = markTarget(link);
    target.querySelector(`[${BADGE}]`)?.remove();
    if (right === 0 || total === 0) continue;
    const badge = document.createElement('span');
    badge.setAttribute(BADGE, right === total ? 'done' : 'some');
    badge.className = 'quiz-badge';
    const shown = document.createElement('span');
    shown.setAttribute('aria-hidden', 'true');
    shown.textContent = right === total ? `✓ ${right}/${total}` : `${right}/${total}`;
    const said = document.createElement('span');
    said.className = 'quiz-sr';
    said.textContent = ` (quiz: ${right} of ${total} questions answered right)`;
    badge.append(shown, said);
    target.append(badge);
  }
}
