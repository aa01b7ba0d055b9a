import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { APPS } from '../../../lessons/apps.ts';
import { readChapters } from '../../../lessons/chapters.ts';
import { resolveDemo } from '../demo/props.ts';
import { lessonDemos, offeredBases } from './offered.ts';
import { parseLabPath } from './variant.ts';

const LESSONS = new URL('../../../lessons/', import.meta.url).pathname;

test('every <Demo> of every chapter is read, so a public site never refuses a demo a chapter shows', () => {
  // Counted over every step of every chapter (lessons/chapters.ts): a demo may sit on any step.
  let tags = 0;
  for (const chapter of readChapters())
    for (const step of chapter.steps)
      tags += readFileSync(join(LESSONS, '..', step.file), 'utf8').match(/<Demo\b/g)?.length ?? 0;
  const demos = lessonDemos();
  assert.ok(tags > 10, `the chapters hold ${tags} demos`);
  assert.equal(demos.length, tags, 'a <Demo> tag the reader could not parse would go missing');
  const offered = offeredBases();
  for (const props of demos)
    for (const choice of resolveDemo(props).backends)
      if (choice.base) assert.ok(offered.has(choice.base), `${choice.base} is offered`);
});

test('the /demos/ pages are offered on every backend, and nothing else sneaks in', () => {
  const offered = offeredBases();
  for (const app of Object.keys(APPS) as (keyof typeof APPS)[])
    for (const choice of resolveDemo({ app }).backends)
      if (choice.base) assert.ok(offered.has(choice.base), `${choice.base} is offered`);
  for (const base of offered)
    assert.equal(parseLabPath(base)?.base, base, `${base} is a canonical variant path`);
  assert.ok(!offered.has('/lab/slow-counter/mysql/url.always.t15s.nolock/'));
  // Bounded: a handful of apps × backends × the profiles chapters use, not the thousands a path can name.
  assert.ok(offered.size < 200, `${offered.size} variants`);
});
