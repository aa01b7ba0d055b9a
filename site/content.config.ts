// Chapters live in ../lessons beside their apps, so Starlight's docs collection reads them with a glob
// loader (its own docsLoader only reads <srcDir>/content/docs).

import { defineCollection } from 'astro:content';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { glob } from 'astro/loaders';

export const collections = {
  docs: defineCollection({
    loader: glob({
      base: './lessons',
      pattern: '**/[^_]*.mdx',
      generateId: ({ entry }) => entry.replace(/(^|\/)index\.mdx?$/, '').replace(/\.mdx?$/, '') || 'index',
    }),
    schema: docsSchema(),
  }),
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
