// @ts-check
// Expressive Code (Starlight's code blocks), read by both Markdown code fences and the <Code> component
// that site/components/Source.astro uses: options given here reach both.
import { defineEcConfig, ensureColorContrastOnBackground } from '@astrojs/starlight/expressive-code';
import { pluginLineNumbers } from '@expressive-code/plugin-line-numbers';

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
      pre.properties.ariaLabel =
        codeBlock.props.label ?? (title ? `Code: ${title}` : `Code example (${codeBlock.language})`);
    },
  },
};

/**
 * The line numbers plugin counts on from `startLineNumber`, but `<Source>` shows a file without its
 * region markers, and an excerpt leaves lines out: `fileLines` gives each shown line its number in the
 * file (as an editor shows it), and 0 for the `// …` line that stands for a gap, which gets none.
 * @type {import('@astrojs/starlight/expressive-code').ExpressiveCodePlugin}
 */
const fileLineNumbers = {
  name: 'Line numbers of the file',
  hooks: {
    postprocessRenderedLine: ({ codeBlock, lineIndex, renderData }) => {
      const numbers = codeBlock.props.fileLines;
      const number = numbers?.[lineIndex];
      if (!numbers || number === undefined) return;
      const gutter = renderData.lineAst.children.find(
        (child) => child.type === 'element' && child.properties.className?.toString() === 'gutter',
      );
      const cell = gutter?.type === 'element' ? gutter.children[0] : undefined;
      if (cell?.type !== 'element') return;
      cell.children = number ? [{ type: 'text', value: String(number) }] : [];
      // As wide as the widest number in the block, so the code starts in one column.
      cell.properties.style = `min-width: ${String(Math.max(...numbers)).length}ch`;
    },
  },
};

export default defineEcConfig({
  plugins: [namedScrollRegions, pluginLineNumbers(), fileLineNumbers],
  // Only `<Source>` shows line numbers (the file's own): a snippet in the text has no file to point into.
  defaultProps: { showLineNumbers: false },
  // Line numbers are text a reader reads: 4.5:1 against the code's background (WCAG 1.4.3), where
  // Expressive Code's default aims at 3.3:1. A marked line's tint darkens the background, hence 5.5 there.
  styleOverrides: {
    gutterForeground: ({ theme, resolveSetting }) =>
      ensureColorContrastOnBackground(
        theme.colors['editorLineNumber.foreground'] || resolveSetting('codeForeground'),
        resolveSetting('codeBackground'),
        4.6,
        5,
      ),
    gutterHighlightForeground: ({ theme, resolveSetting }) =>
      ensureColorContrastOnBackground(
        theme.colors['editorLineNumber.activeForeground'] || resolveSetting('codeForeground'),
        resolveSetting('codeBackground'),
        5.5,
        6,
      ),
  },
});
