import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type SidebarEntry, stepPosition } from './step-position.ts';

const link = (label: string, isCurrent = false): SidebarEntry => ({ type: 'link', label, isCurrent });

function sidebar(...chapters: SidebarEntry[]): SidebarEntry[] {
  return [
    { type: 'group', label: 'Chapters', entries: chapters },
    { type: 'group', label: 'Reference', entries: [link('JWT', false)] },
  ];
}

test('a step inside a chapter group: its chapter number and its place among the steps', () => {
  const position = stepPosition(
    sidebar(link('Why'), {
      type: 'group',
      label: 'The session id',
      entries: [link('A'), link('B', true), link('C')],
    }),
  );
  assert.deepEqual(position, { chapter: 2, chapterTitle: 'The session id', step: 2, steps: 3 });
});

test('a one-page chapter is step 1 of 1', () => {
  assert.deepEqual(stepPosition(sidebar(link('Why', true))), {
    chapter: 1,
    chapterTitle: 'Why',
    step: 1,
    steps: 1,
  });
});

test('a page outside the chapters (reference, glossary) has no position', () => {
  assert.equal(stepPosition(sidebar(link('Why'), link('API'))), undefined);
  assert.equal(stepPosition([link('Home', true)]), undefined);
});
