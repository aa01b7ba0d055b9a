// The demo variants the site's pages offer: each <Demo> of the chapters and each /demos/<app>/ page, on
// every backend of its switch. Anyone can type any variant path, and there are thousands; a public site
// serves only these, so a stranger cannot make it host variants nobody reads about (each one an engine
// and a store of its own), nor fill its demo host so that a reader's demo cannot start.
import { readFileSync } from 'node:fs';
import { APPS, type AppName } from '../../../lessons/apps.ts';
import { readChapters } from '../../../lessons/chapters.ts';
import { type DemoProps, resolveDemo } from '../build/props.ts';

const ROOT = new URL('../../../', import.meta.url);
const DEMO_TAG = /^<Demo\s([^>]*?)\/>/gm;

/** Every `<Demo …/>` of the chapters, on any of their steps (lessons/chapters.ts), its literal props read
 * from the MDX (strings, numbers, arrays). */
export function lessonDemos(): DemoProps[] {
  const demos: DemoProps[] = [];
  for (const step of readChapters().flatMap((chapter) => chapter.steps)) {
    const mdx = readFileSync(new URL(step.file, ROOT), 'utf8');
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
export function offeredBases(): Set<string> {
  // The /demos/<app>/ pages: each app with its defaults (site/pages/demos/[app].astro).
  const pages = (Object.keys(APPS) as AppName[]).map((app): DemoProps => ({ app }));
  const bases = new Set<string>();
  for (const props of [...lessonDemos(), ...pages])
    for (const choice of resolveDemo(props).backends) if (choice.base) bases.add(choice.base);
  return bases;
}
