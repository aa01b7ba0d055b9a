import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { APPS } from '../../../lessons/apps.ts';
import { resolveDemo } from '../build/props.ts';
import { lessonDemos, offeredBases } from './offered.ts';
import { parseLabPath } from './variant.ts';

const LESSONS = new URL('../../../lessons/', import.meta.url).pathname;

test('every <Demo> of every chapter is read, so a public site never refuses a demo a chapter shows', () => {
  let tags = 0;
  // Every page of every chapter folder: a chapter's demos may sit on any of its steps.
  for (const chapter of readdirSync(LESSONS, { withFileTypes: true })) {
    if (!chapter.isDirectory() || !/^\d\d-/.test(chapter.name)) continue;
    for (const file of readdirSync(join(LESSONS, chapter.name)).filter((name) => name.endsWith('.mdx')))
      tags += readFileSync(join(LESSONS, chapter.name, file), 'utf8').match(/<Demo\b/g)?.length ?? 0;
  }
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
