/// <reference types="@astrojs/starlight" />
// Starlight route middleware (astro.config.mjs `routeMiddleware`; the reference above types
// `locals.starlightRoute`). Starlight titles every page "<page title> | <site title>", which gives the
// home page, whose title is the site's, "Session Lab | Session Lab".
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  if (route.entry.data.title !== route.siteTitle) return;
  for (const tag of route.head) if (tag.tag === 'title') tag.content = route.siteTitle;
});
