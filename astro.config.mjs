// @ts-check

import node from '@astrojs/node';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { readChapters } from './lessons/chapters.ts';

/** One sidebar group per chapter folder, its steps in reading order (lessons/chapters.ts), open on the current one. */
const chapters = {
  label: 'Chapters',
  items: readChapters().map((chapter) =>
    chapter.steps.length === 1
      ? chapter.slug
      : { label: chapter.title, collapsed: true, items: chapter.steps.map((step) => step.id) },
  ),
};

/** Reference pages (`lessons/reference/*.mdx`), in this order: what no single chapter or source covers. */
const reference = {
  label: 'Reference',
  items: [
    'reference/three-sessions',
    'reference/sessions-vs-tokens',
    'reference/framework-defaults',
    'reference/owasp-checklist',
  ],
};

export default defineConfig({
  srcDir: './site',
  // Static files (the favicon) live with the rest of the site's source.
  publicDir: './site/public',
  output: 'server',
  site: 'http://localhost:4321',
  adapter: node({ mode: 'standalone' }),
  // Session Lab runs its own session engine; Astro's built-in sessions are only described in chapter 13.
  session: false,
  integrations: [
    starlight({
      title: 'Session Lab',
      description: 'How web sessions work, explained and run live.',
      markdown: { processedDirs: ['./lessons'] },
      sidebar: [
        chapters,
        reference,
        { label: 'Demos', items: [{ label: 'All demos', link: '/demos/' }] },
        // The chapters' jargon (lessons/glossary.mdx), each term linked where a chapter first uses it.
        { label: 'Glossary', link: '/glossary/' },
      ],
      customCss: ['./site/styles/custom.css'],
      // The search button is named with its visible keycaps too ("Search Ctrl K"): WCAG 2.5.3. The sidebar
      // marks each chapter with the learner's quiz progress (site/components/Quiz.astro); a chapter
      // page's title says which chapter and step it is.
      components: {
        Search: './site/components/Search.astro',
        Sidebar: './site/components/Sidebar.astro',
        PageTitle: './site/components/PageTitle.astro',
      },
      // The home page's <title> is the site title alone, not "Session Lab | Session Lab".
      routeMiddleware: './site/lib/route-data.ts',
      lastUpdated: false,
      // site/pages/404.astro is the not-found page: Starlight's own wants a `404` chapter entry.
      disable404Route: true,
    }),
  ],
});
