// `npm run words`: the prose word count of every chapter step and reference page (lessons/prose.ts), the
// figure lessons/chapters.test.ts keeps each chapter step under.
import { readdirSync, readFileSync } from 'node:fs';
import { readChapters } from '../lessons/chapters.ts';
import { countProseWords } from '../lessons/prose.ts';

const rows: [string, number][] = readChapters().flatMap((chapter) =>
  chapter.steps.map((step) => [step.file, step.words] as [string, number]),
);
for (const file of readdirSync('lessons/reference')
  .filter((name) => name.endsWith('.mdx'))
  .sort())
  rows.push([
    `lessons/reference/${file}`,
    countProseWords(readFileSync(`lessons/reference/${file}`, 'utf8')),
  ]);
const width = Math.max(...rows.map(([file]) => file.length));
for (const [file, words] of rows) console.log(`${file.padEnd(width)}  ${String(words).padStart(5)}`);
