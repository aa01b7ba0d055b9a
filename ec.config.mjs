// @ts-check
// Expressive Code (Starlight's code blocks), read by both Markdown code fences and the <Code> component
// that site/components/Source.astro uses: options given here reach both.
import { defineEcConfig } from '@astrojs/starlight/expressive-code';

/** The first `<pre>` in a rendered block's HAST (the scroll container of the code). */
function findPre(node) {
  if (node.type === 'element' && node.tagName === 'pre') return node;
  for (const child of node.children ?? []) {
    const found = findPre(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * A code block whose lines are wider than the page scrolls sideways, and a keyboard can only scroll what
 * it can focus (axe: scrollable-region-focusable). Expressive Code's own script makes a block that
 * overflows focusable (and drops that again when it fits), but only once the page has loaded and been
 * idle a moment, and without a name. Here every block starts focusable, as a named region, in the HTML:
 * reachable before any script runs, and announced by what it holds ("Code: url.ts").
 * @type {import('@astrojs/starlight/expressive-code').ExpressiveCodePlugin}
 */
const namedScrollRegions = {
  name: 'Named, focusable code blocks',
  hooks: {
    postprocessRenderedBlock: ({ codeBlock, renderData }) => {
      const pre = findPre(renderData.blockAst);
      if (!pre) return;
      const title = codeBlock.props.title?.trim();
      pre.properties.tabIndex = 0;
      pre.properties.role = 'region';
      pre.properties.ariaLabel = title ? `Code: ${title}` : `Code example (${codeBlock.language})`;
    },
  },
};

export default defineEcConfig({ plugins: [namedScrollRegions] });
