// The demo variants the site's pages offer: each <Demo> of the chapters and each /demos/<app>/ page, on
// every backend of its switch. Anyone can type any variant path, and there are thousands; a public site
// serves only these, so a stranger cannot make it host variants nobody reads about (each one an engine
// and a store of its own), nor fill its demo host so that a reader's demo cannot start.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, type AppName } from '../../../lessons/apps.ts';
import { type DemoProps, resolveDemo } from '../demo/props.ts';

const LESSONS = new URL('../../../lessons/', import.meta.url).pathname;
const DEMO_TAG = /^<Demo\s([^>]*?)\/>/gm;

/** Every step page (`.mdx`) of every chapter folder: a chapter's demos can sit on any of its steps. */
export function lessonPages(lessons = LESSONS): string[] {
  return readdirSync(lessons, { withFileTypes: true })
    .filter((chapter) => chapter.isDirectory())
    .flatMap((chapter) =>
      readdirSync(join(lessons, chapter.name))
        .filter((file) => file.endsWith('.mdx'))
        .map((file) => join(lessons, chapter.name, file)),
    );
}

/** Every `<Demo …/>` of the chapters, its literal props read from the MDX (strings, numbers, arrays). */
export function lessonDemos(lessons = LESSONS): DemoProps[] {
  const demos: DemoProps[] = [];
  for (const page of lessonPages(lessons)) {
    const mdx = readFileSync(page, 'utf8');
    for (const [, attributes = ''] of mdx.matchAll(DEMO_TAG)) {
      const props: Record<string, unknown> = {};
      for (const [, name, text, expression] of attributes.matchAll(/(\w+)(?:="([^"]*)"|=\{([^}]*)\})?/g)) {
        if (!name) continue;
        if (text !== undefined) props[name] = text;
        else if (expression !== undefined) props[name] = JSON.parse(expression.replaceAll("'", '"'));
        else props[name] = true;
      }
      demos.push(props as unknown as DemoProps);
    }
  }
  return demos;
}

/** The base path of every variant a page offers (`/lab/counter/file/std/`), backend switch included. */
export function offeredBases(lessons = LESSONS): Set<string> {
  // The /demos/<app>/ pages: each app with its defaults (site/pages/demos/[app].astro).
  const pages = (Object.keys(APPS) as AppName[]).map((app): DemoProps => ({ app }));
  const bases = new Set<string>();
  for (const props of [...lessonDemos(lessons), ...pages])
    for (const choice of resolveDemo(props).backends) if (choice.base) bases.add(choice.base);
  return bases;
}
