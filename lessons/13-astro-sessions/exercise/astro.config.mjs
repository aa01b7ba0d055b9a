// @ts-check
// Chapter 13's "Try it" scaffold: the example project's config (Node adapter, file-system sessions) with
// pages of your own. Run it from the repository root with `npm run try:astro`.
export { default } from '../example/astro.config.mjs';
